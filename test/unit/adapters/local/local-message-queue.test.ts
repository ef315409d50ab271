import { afterEach, describe, expect, it, vi } from "vitest";
import { LocalMessageQueue } from "../../../../functions/adapters/local/local-message-queue.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

function manualClock() {
  let now = Date.parse("2026-01-01T00:00:00Z");
  return {
    now: () => new Date(now),
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    return error instanceof ShiplineError ? error.code : `not a ShiplineError: ${String(error)}`;
  }
  return undefined;
}

describe("LocalMessageQueue", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe("standard queues", () => {
    it("hides a received message for the visibility timeout and then delivers it again", async () => {
      // Arrange
      const clock = manualClock();
      const queue = new LocalMessageQueue({ name: "sync", clock });
      const { messageId } = await queue.send({ body: "hello" });

      // Act
      const first = await queue.receive();
      const hidden = await queue.receive();
      clock.advance(30);
      const again = await queue.receive();

      // Assert
      expect(first).toEqual([expect.objectContaining({ messageId, body: "hello", receiveCount: 1 })]);
      expect(hidden).toEqual([]);
      expect(again).toEqual([expect.objectContaining({ messageId, receiveCount: 2 })]);
      expect(again[0]?.receiptHandle).not.toBe(first[0]?.receiptHandle);
    });

    it("removes a message for good when it is deleted with its latest receipt", async () => {
      // Arrange
      const clock = manualClock();
      const queue = new LocalMessageQueue({ name: "sync", clock });
      await queue.send({ body: "done" });
      const [message] = await queue.receive();

      // Act
      await queue.delete(message?.receiptHandle ?? "");
      clock.advance(60);

      // Assert
      expect(await queue.receive()).toEqual([]);
      expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it("ignores a delete with a receipt from an earlier receive", async () => {
      // Arrange
      const clock = manualClock();
      const queue = new LocalMessageQueue({ name: "sync", clock, visibilityTimeoutSeconds: 10 });
      await queue.send({ body: "slow consumer" });
      const [stale] = await queue.receive();
      clock.advance(10);
      await queue.receive();

      // Act
      await queue.delete(stale?.receiptHandle ?? "");

      // Assert
      expect(queue.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    });

    it("refuses a receipt handle that this queue never issued", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "sync" });

      // Act
      const code = await codeOf(queue.delete("other-queue/123/456"));

      // Assert
      expect(code).toBe("QUEUE_RECEIPT_HANDLE_INVALID");
    });

    it("uses a visibility timeout given on receive instead of the queue's", async () => {
      // Arrange
      const clock = manualClock();
      const queue = new LocalMessageQueue({ name: "sync", clock });
      await queue.send({ body: "short" });
      await queue.receive({ visibilityTimeoutSeconds: 5 });

      // Act
      clock.advance(5);
      const again = await queue.receive();

      // Assert
      expect(again).toHaveLength(1);
    });

    it("extends or ends the visibility of an in-flight message", async () => {
      // Arrange
      const clock = manualClock();
      const queue = new LocalMessageQueue({ name: "sync", clock });
      await queue.send({ body: "long task" });
      const [message] = await queue.receive();
      const handle = message?.receiptHandle ?? "";

      // Act
      await queue.changeVisibility(handle, 120);
      clock.advance(60);
      const stillHidden = await queue.receive();
      await queue.changeVisibility(handle, 0);
      const released = await queue.receive();
      const staleCode = await codeOf(queue.changeVisibility(handle, 30));

      // Assert
      expect(stillHidden).toEqual([]);
      expect(released).toEqual([expect.objectContaining({ body: "long task", receiveCount: 2 })]);
      expect(staleCode).toBe("QUEUE_MESSAGE_NOT_IN_FLIGHT");
    });

    it("holds a delayed message back until its delay has passed", async () => {
      // Arrange
      const clock = manualClock();
      const queue = new LocalMessageQueue({ name: "sync", clock });
      await queue.send({ body: "later", delaySeconds: 10 });

      // Act
      const early = await queue.receive();
      const counts = queue.counts();
      clock.advance(10);
      const onTime = await queue.receive();

      // Assert
      expect(early).toEqual([]);
      expect(counts).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
      expect(onTime).toHaveLength(1);
    });

    it("returns up to maxMessages messages in send order", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "sync" });
      for (const body of ["1", "2", "3"]) await queue.send({ body });

      // Act
      const batch = await queue.receive({ maxMessages: 2 });

      // Assert
      expect(batch.map((message) => message.body)).toEqual(["1", "2"]);
    });

    it("drops messages older than the retention period", async () => {
      // Arrange
      const clock = manualClock();
      const queue = new LocalMessageQueue({ name: "sync", clock, retentionSeconds: 60 });
      await queue.send({ body: "stale" });

      // Act
      clock.advance(60);

      // Assert
      expect(await queue.receive()).toEqual([]);
    });

    it("refuses empty, oversized and unencodable bodies and out-of-range parameters", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "sync" });

      // Act
      const codes = [
        await codeOf(queue.send({ body: "" })),
        await codeOf(queue.send({ body: "x".repeat(262_145) })),
        await codeOf(queue.send({ body: "bell \u0007" })),
        await codeOf(queue.send({ body: "x", deduplicationId: "1" })),
        await codeOf(queue.receive({ maxMessages: 11 })),
        await codeOf(queue.receive({ waitTimeSeconds: 21 })),
      ];

      // Assert
      expect(codes).toEqual([
        "QUEUE_MESSAGE_INVALID",
        "QUEUE_MESSAGE_INVALID",
        "QUEUE_MESSAGE_INVALID",
        "QUEUE_MESSAGE_INVALID",
        "QUEUE_PARAMETER_INVALID",
        "QUEUE_PARAMETER_INVALID",
      ]);
    });
  });

  describe("FIFO queues", () => {
    it("delivers a group in order and holds it back while a message of it is in flight", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "writer.fifo", contentBasedDeduplication: true });
      await queue.send({ body: "a1", groupId: "a" });
      await queue.send({ body: "a2", groupId: "a" });
      await queue.send({ body: "b1", groupId: "b" });

      // Act
      const [first] = await queue.receive();
      const [second] = await queue.receive();
      const blocked = await queue.receive();
      await queue.delete(first?.receiptHandle ?? "");
      const [third] = await queue.receive();

      // Assert
      expect(first?.body).toBe("a1");
      expect(second?.body).toBe("b1");
      expect(blocked).toEqual([]);
      expect(third).toMatchObject({ body: "a2", groupId: "a" });
    });

    it("returns several messages of one group in order within one receive, as SQS does", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "writer.fifo", contentBasedDeduplication: true });
      for (const body of ["1", "2", "3"]) await queue.send({ body, groupId: "repo#main" });

      // Act
      const batch = await queue.receive({ maxMessages: 2 });
      const blocked = await queue.receive({ maxMessages: 10 });

      // Assert
      expect(batch.map((message) => message.body)).toEqual(["1", "2"]);
      expect(blocked).toEqual([]);
    });

    it("redelivers the head of a group first when its visibility expires", async () => {
      // Arrange
      const clock = manualClock();
      const queue = new LocalMessageQueue({ name: "writer.fifo", clock, contentBasedDeduplication: true });
      await queue.send({ body: "first", groupId: "g" });
      await queue.send({ body: "second", groupId: "g" });
      await queue.receive();

      // Act
      clock.advance(30);
      const [again] = await queue.receive();

      // Assert
      expect(again).toMatchObject({ body: "first", receiveCount: 2 });
    });

    it("drops a duplicate within five minutes and accepts it after", async () => {
      // Arrange
      const clock = manualClock();
      const queue = new LocalMessageQueue({ name: "writer.fifo", clock });
      const original = await queue.send({ body: "bump", groupId: "g", deduplicationId: "commit-1" });

      // Act
      clock.advance(299);
      const duplicate = await queue.send({ body: "bump", groupId: "g", deduplicationId: "commit-1" });
      clock.advance(1);
      const later = await queue.send({ body: "bump", groupId: "g", deduplicationId: "commit-1" });

      // Assert
      expect(duplicate.messageId).toBe(original.messageId);
      expect(later.messageId).not.toBe(original.messageId);
      expect(queue.counts().visible).toBe(2);
    });

    it("deduplicates by content when the queue says so", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "writer.fifo", contentBasedDeduplication: true });

      // Act
      await queue.send({ body: "same", groupId: "g" });
      await queue.send({ body: "same", groupId: "other" });
      await queue.send({ body: "different", groupId: "g" });

      // Assert
      expect(queue.counts().visible).toBe(2);
    });

    it("requires a group id, a deduplication id and no per-message delay", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "writer.fifo" });

      // Act
      const codes = [
        await codeOf(queue.send({ body: "x", deduplicationId: "1" })),
        await codeOf(queue.send({ body: "x", groupId: "g" })),
        await codeOf(queue.send({ body: "x", groupId: "g", deduplicationId: "1", delaySeconds: 5 })),
      ];

      // Assert
      expect(codes).toEqual(["QUEUE_MESSAGE_INVALID", "QUEUE_MESSAGE_INVALID", "QUEUE_MESSAGE_INVALID"]);
    });
  });

  describe("dead-letter redrive", () => {
    it("moves a message to the dead-letter queue after maxReceiveCount receives", async () => {
      // Arrange
      const clock = manualClock();
      const deadLetterQueue = new LocalMessageQueue({ name: "writer-dlq.fifo", clock });
      const queue = new LocalMessageQueue({
        name: "writer.fifo",
        clock,
        contentBasedDeduplication: true,
        redrive: { deadLetterQueue, maxReceiveCount: 2 },
      });
      const { messageId } = await queue.send({ body: "poison", groupId: "g" });
      await queue.send({ body: "next", groupId: "g" });

      // Act
      const receives: number[] = [];
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const [message] = await queue.receive();
        receives.push(message?.receiveCount ?? 0);
        clock.advance(30);
      }
      const [afterRedrive] = await queue.receive();
      const [deadLetter] = await deadLetterQueue.receive();

      // Assert
      expect(receives).toEqual([1, 2]);
      expect(afterRedrive?.body).toBe("next");
      expect(deadLetter).toMatchObject({ messageId, body: "poison", groupId: "g", receiveCount: 1 });
    });

    it("refuses a dead-letter queue of the other kind", () => {
      // Arrange
      const deadLetterQueue = new LocalMessageQueue({ name: "dlq" });

      // Act
      const create = () =>
        new LocalMessageQueue({ name: "writer.fifo", redrive: { deadLetterQueue, maxReceiveCount: 3 } });

      // Assert
      expect(create).toThrow(/must both be FIFO or both standard/);
    });
  });

  describe("long polling", () => {
    it("resolves as soon as a message is sent during the wait", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "sync" });
      const polling = queue.receive({ waitTimeSeconds: 20 });

      // Act
      await queue.send({ body: "arrived" });
      const received = await polling;

      // Assert
      expect(received).toEqual([expect.objectContaining({ body: "arrived" })]);
    });

    it("resolves when a FIFO group is released by a delete", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "writer.fifo", contentBasedDeduplication: true });
      await queue.send({ body: "1", groupId: "g" });
      await queue.send({ body: "2", groupId: "g" });
      const [first] = await queue.receive();
      const polling = queue.receive({ waitTimeSeconds: 20 });

      // Act
      await queue.delete(first?.receiptHandle ?? "");
      const received = await polling;

      // Assert
      expect(received.map((message) => message.body)).toEqual(["2"]);
    });

    it("resolves empty when its signal aborts", async () => {
      // Arrange
      const queue = new LocalMessageQueue({ name: "sync" });
      const controller = new AbortController();
      const polling = queue.receive({ waitTimeSeconds: 20, signal: controller.signal });

      // Act
      controller.abort();

      // Assert
      expect(await polling).toEqual([]);
    });

    it("resolves empty when the wait time passes without a message", async () => {
      // Arrange
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      const queue = new LocalMessageQueue({ name: "sync" });
      let settled: unknown;
      const polling = queue.receive({ waitTimeSeconds: 2 }).then((messages) => {
        settled = messages;
      });

      // Act
      await vi.advanceTimersByTimeAsync(1_999);
      const before = settled;
      await vi.advanceTimersByTimeAsync(1);
      await polling;

      // Assert
      expect(before).toBeUndefined();
      expect(settled).toEqual([]);
    });
  });
});
