import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalMessageQueue } from "../../../../functions/adapters/local/local-message-queue.js";

describe("LocalMessageQueue with a journal", () => {
  let dir: string;
  let journalFile: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shipline-queue-"));
    journalFile = path.join(dir, "queues", "writer.fifo.json");
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps sent and in-flight messages across a restart, and not the deleted ones", async () => {
    // Arrange
    const before = new LocalMessageQueue({ name: "writer.fifo", journalFile, visibilityTimeoutSeconds: 300 });
    await before.send({ body: "done", groupId: "repo#main", deduplicationId: "a" });
    await before.send({ body: "in flight", groupId: "repo#other", deduplicationId: "b" });
    await before.send({ body: "waiting", groupId: "repo#main", deduplicationId: "c" });
    const [done] = await before.receive();
    if (done) await before.delete(done.receiptHandle);
    await before.receive({ maxMessages: 10 });

    // Act: a new runtime opens the same queue.
    const after = new LocalMessageQueue({ name: "writer.fifo", journalFile });
    const received = await after.receive({ maxMessages: 10 });
    const duplicate = await after.send({
      body: "in flight again",
      groupId: "repo#other",
      deduplicationId: "b",
    });

    // Assert
    expect(received.map((message) => message.body).sort()).toEqual(["in flight", "waiting"]);
    expect(received.find((message) => message.body === "in flight")?.receiveCount).toBe(2);
    expect(duplicate.messageId).toBe(received.find((message) => message.body === "in flight")?.messageId);
  });

  it("tells the runtime about a message it moves to the dead-letter queue", async () => {
    // Arrange
    const moved: { body: string; receiveCount: number }[] = [];
    const deadLetters = new LocalMessageQueue({ name: "writer-dlq.fifo" });
    const queue = new LocalMessageQueue({
      name: "writer.fifo",
      visibilityTimeoutSeconds: 0,
      redrive: {
        deadLetterQueue: deadLetters,
        maxReceiveCount: 2,
        onMoved: (message) => moved.push(message),
      },
    });
    await queue.send({ body: "poison", groupId: "g", deduplicationId: "p" });
    await queue.receive();
    await queue.receive();

    // Act
    const third = await queue.receive();

    // Assert
    expect(third).toEqual([]);
    expect(moved).toEqual([{ body: "poison", receiveCount: 2 }]);
    expect((await deadLetters.receive()).map((message) => message.body)).toEqual(["poison"]);
  });
});
