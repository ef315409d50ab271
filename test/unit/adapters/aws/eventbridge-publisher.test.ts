import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { EventBridgePublisher } from "../../../../functions/adapters/aws/eventbridge-publisher.js";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type { PublishRequest } from "../../../../functions/core/ports/event-publisher.js";
import { readFixture } from "../../../read-fixture.js";
import { DETAIL_EXAMPLES } from "../../core/contracts/detail-examples.js";

const BUS = "shipline-test";

/** A partial-failure response in PutEvents' documented shape: entry 1 of 3 failed with InternalFailure. */
const documentedPartialFailure = z
  .object({
    responsePartialFailure: z.object({
      FailedEntryCount: z.number(),
      Entries: z.array(
        z.object({
          EventId: z.string().optional(),
          ErrorCode: z.string().optional(),
          ErrorMessage: z.string().optional(),
        }),
      ),
    }),
  })
  .parse(readFixture("aws/eventbridge-putevents.partial-failure.json")).responsePartialFailure;

/** `count` valid Hold Released requests, told apart by their correlation id. */
function holdReleased(count: number): PublishRequest<"Hold Released">[] {
  return Array.from({ length: count }, (_, index) => ({
    detailType: DetailType.HoldReleased,
    detail: { ...DETAIL_EXAMPLES["Hold Released"], correlationId: `push-${index}` },
  }));
}

function accepted(count: number, prefix = "id") {
  return {
    FailedEntryCount: 0,
    Entries: Array.from({ length: count }, (_, index) => ({ EventId: `${prefix}-${index}` })),
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<ShiplineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError, but the promise resolved");
}

describe("EventBridgePublisher", () => {
  const eventBridge = mockClient(EventBridgeClient);
  let sleeps: number[];
  let publisher: EventBridgePublisher;

  beforeEach(() => {
    sleeps = [];
    publisher = new EventBridgePublisher({
      client: new EventBridgeClient({ region: "eu-west-1" }),
      busName: BUS,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      random: () => 0.5,
    });
  });

  afterEach(() => {
    eventBridge.reset();
  });

  function sentEntries(call: number) {
    return eventBridge.commandCalls(PutEventsCommand)[call]?.args[0].input.Entries ?? [];
  }

  it("sends a validated entry to its bus and returns the event id", async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).resolves(accepted(1));
    const time = new Date("2026-03-01T12:00:00.000Z");

    // Act
    const results = await publisher.publish([
      {
        detailType: DetailType.ImagePushed,
        detail: DETAIL_EXAMPLES["Image Pushed"],
        resources: ["arn:aws:ecr:x"],
        time,
      },
    ]);

    // Assert
    expect(results).toEqual([{ eventId: "id-0" }]);
    const [entry] = sentEntries(0);
    expect(entry).toMatchObject({
      Source: "shipline",
      DetailType: "Image Pushed",
      EventBusName: BUS,
      Resources: ["arn:aws:ecr:x"],
      Time: time,
    });
    expect(JSON.parse(entry?.Detail ?? "")).toMatchObject({ schemaVersion: 1, via: "event", app: "web" });
  });

  it("sends nothing for an empty list", async () => {
    // Act
    const results = await publisher.publish([]);

    // Assert
    expect(results).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it("splits 23 events into calls of 10, 10 and 3 and returns the ids in request order", async () => {
    // Arrange
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce(accepted(10, "a"))
      .resolvesOnce(accepted(10, "b"))
      .resolvesOnce(accepted(3, "c"));

    // Act
    const results = await publisher.publish(holdReleased(23));

    // Assert
    expect(
      eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.length),
    ).toEqual([10, 10, 3]);
    expect(JSON.parse(sentEntries(1)[0]?.Detail ?? "").correlationId).toBe("push-10");
    expect(results.map((result) => result.eventId)).toEqual([
      ...Array.from({ length: 10 }, (_, index) => `a-${index}`),
      ...Array.from({ length: 10 }, (_, index) => `b-${index}`),
      "c-0",
      "c-1",
      "c-2",
    ]);
  });

  it("sends nothing when one detail breaks its contract", async () => {
    // Arrange
    const requests: PublishRequest[] = [
      ...holdReleased(2),
      {
        detailType: DetailType.BuildStarted,
        detail: { ...DETAIL_EXAMPLES["Build Started"], commit: "HEAD" },
      },
    ];

    // Act
    const error = await rejectionOf(publisher.publish(requests));

    // Assert
    expect(error.code).toBe("EVENT_INVALID");
    expect(error.message).toContain("detail.commit");
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it("sends nothing when an entry is over 256 KB", async () => {
    // Arrange
    const example = DETAIL_EXAMPLES["Build Failed"];
    const request: PublishRequest<"Build Failed"> = {
      detailType: DetailType.BuildFailed,
      detail: { ...example, reason: "x".repeat(256 * 1024) },
    };

    // Act
    const error = await rejectionOf(publisher.publish([request]));

    // Assert
    expect(error.code).toBe("EVENT_TOO_LARGE");
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it("resends only the entry that failed in EventBridge's documented partial-failure response", async () => {
    // Arrange
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce(documentedPartialFailure)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: "retried-1" }] });
    const requests = holdReleased(3);

    // Act
    const results = await publisher.publish(requests);

    // Assert
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(sentEntries(1)).toHaveLength(1);
    expect(JSON.parse(sentEntries(1)[0]?.Detail ?? "").correlationId).toBe("push-1");
    expect(results).toEqual([
      { eventId: "6a1f3c2e-9b8d-4e7f-a6b5-c4d3e2f1a0b9" },
      { eventId: "retried-1" },
      { eventId: "0e9d8c7b-6a5f-4e3d-b2c1-a0f9e8d7c6b5" },
    ]);
    expect(sleeps).toEqual([50]);
  });

  it("retries throttled entries with a growing, jittered backoff", async () => {
    // Arrange
    const throttled = { ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded" };
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 2, Entries: [throttled, throttled] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: "first" }, throttled] })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: "second" }] });

    // Act
    const results = await publisher.publish(holdReleased(2));

    // Assert
    expect(results).toEqual([{ eventId: "first" }, { eventId: "second" }]);
    expect(sentEntries(2)).toHaveLength(1);
    expect(sleeps).toEqual([50, 100]);
  });

  it("gives up after the last attempt with a retryable PUBLISH_FAILED that names the error code", async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "Internal Service Failure" }],
    });

    // Act
    const error = await rejectionOf(publisher.publish(holdReleased(1)));

    // Assert
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(4);
    expect(sleeps).toEqual([50, 100, 200]);
    expect(error.code).toBe("PUBLISH_FAILED");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("InternalFailure");
    expect(error.data).toMatchObject({
      errorCodes: ["InternalFailure"],
      attempts: 4,
      failures: [{ index: 0, detailType: "Hold Released", errorCode: "InternalFailure" }],
    });
  });

  it("caps the backoff at maxDelayMs", async () => {
    // Arrange
    const capped = new EventBridgePublisher({
      client: new EventBridgeClient({ region: "eu-west-1" }),
      busName: BUS,
      maxAttempts: 6,
      baseDelayMs: 100,
      maxDelayMs: 300,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      random: () => 0.999,
    });
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: "InternalFailure" }] });

    // Act
    const error = await rejectionOf(capped.publish(holdReleased(1)));

    // Assert
    expect(error.data.attempts).toBe(6);
    expect(sleeps).toEqual([99, 199, 299, 299, 299]);
  });

  it("does not retry an entry EventBridge refuses permanently and says so", async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [
        { EventId: "ok" },
        { ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source" },
      ],
    });

    // Act
    const error = await rejectionOf(publisher.publish(holdReleased(2)));

    // Assert
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(error.code).toBe("PUBLISH_FAILED");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("#1 Hold Released: NotAuthorizedForSourceException");
    expect(error.data.errorCodes).toEqual(["NotAuthorizedForSourceException"]);
  });

  it("stops at the first batch that cannot be delivered and sends no later batch", async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 10,
      Entries: Array.from({ length: 10 }, () => ({ ErrorCode: "AccessDeniedException" })),
    });

    // Act
    const error = await rejectionOf(publisher.publish(holdReleased(12)));

    // Assert
    expect(error.data.errorCodes).toEqual(["AccessDeniedException"]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it("treats an entry missing from the response as a transient failure", async () => {
    // Arrange
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: "only-one" }] })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: "late" }] });

    // Act
    const results = await publisher.publish(holdReleased(2));

    // Assert
    expect(results).toEqual([{ eventId: "only-one" }, { eventId: "late" }]);
  });

  it("turns a failed PutEvents call into a retryable PUBLISH_FAILED that keeps the cause", async () => {
    // Arrange
    const outage = Object.assign(new Error("Service unavailable"), { name: "ServiceUnavailableException" });
    eventBridge.on(PutEventsCommand).rejects(outage);

    // Act
    const error = await rejectionOf(publisher.publish(holdReleased(1)));

    // Assert
    expect(error.code).toBe("PUBLISH_FAILED");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("ServiceUnavailableException");
    expect(error.message).toContain(`bus '${BUS}'`);
    expect(error.cause).toBe(outage);
  });

  it("refuses a maxAttempts below 1", () => {
    // Act
    const create = () =>
      new EventBridgePublisher({
        client: new EventBridgeClient({ region: "eu-west-1" }),
        busName: BUS,
        maxAttempts: 0,
      });

    // Assert
    expect(create).toThrow(/maxAttempts must be a whole number of at least 1, got 0/);
  });
});
