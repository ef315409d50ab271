import { afterEach, describe, expect, it } from "vitest";
import { LocalEventBus } from "../../../../functions/adapters/local/local-event-bus.js";
import { LocalEventPublisher } from "../../../../functions/adapters/local/local-event-publisher.js";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import type { PublishRequest } from "../../../../functions/core/ports/event-publisher.js";

const detail = {
  app: "web",
  commit: "0123456789abcdef0123456789abcdef01234567",
  correlationId: "corr-1",
  buildId: "web:1",
  projectName: "shipline-web",
  imageRepository: "web",
  imageTag: "0123456",
  deliveryId: "d-1",
};

describe("LocalEventPublisher", () => {
  const bus = new LocalEventBus();

  afterEach(async () => {
    await bus.drain();
    for (const rule of bus.listRules()) bus.removeRule(rule.definition.name);
  });

  it("publishes validated events on the local bus, where rules receive them", async () => {
    // Arrange
    const seen: EventEnvelope[] = [];
    bus.addRule(
      {
        name: "ledger-on-build-started",
        description: "test",
        bus: "shipline",
        eventPattern: { source: ["shipline"], "detail-type": ["Build Started"] },
        target: { kind: "step", step: "ledger" },
        retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
      },
      async (event) => {
        seen.push(event);
      },
    );
    const publisher = new LocalEventPublisher(bus);

    // Act
    const results = await publisher.publish([{ detailType: DetailType.BuildStarted, detail }]);
    await bus.drain();

    // Assert
    expect(results).toHaveLength(1);
    expect(seen[0]?.id).toBe(results[0]?.eventId);
    expect(seen[0]?.detail).toEqual({ ...detail, schemaVersion: 1 });
  });

  it("puts more than ten events in batches of ten", async () => {
    // Arrange
    const batches: number[] = [];
    const publisher = new LocalEventPublisher({
      putEvents: async (entries) => {
        batches.push(entries.length);
        return { FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `id-${index}` })) };
      },
    });
    const requests: PublishRequest[] = Array.from({ length: 23 }, () => ({
      detailType: DetailType.BuildStarted,
      detail,
    }));

    // Act
    const results = await publisher.publish(requests);

    // Assert
    expect(batches).toEqual([10, 10, 3]);
    expect(results).toHaveLength(23);
  });

  it("refuses a detail that breaks its contract before anything is put", async () => {
    // Arrange
    const publisher = new LocalEventPublisher(bus);
    const request = { detailType: DetailType.BuildStarted, detail: { ...detail, commit: "nope" } };

    // Act
    const result = publisher.publish([request]);

    // Assert
    await expect(result).rejects.toMatchObject({ code: "EVENT_INVALID" });
  });

  it("throws EVENT_PUBLISH_FAILED naming each entry the bus refused", async () => {
    // Arrange
    const publisher = new LocalEventPublisher({
      putEvents: async () => ({
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: "InvalidArgument", ErrorMessage: "Event bus shipline does not exist" }],
      }),
    });

    // Act
    const result = publisher.publish([{ detailType: DetailType.BuildStarted, detail }]);

    // Assert
    await expect(result).rejects.toMatchObject({
      code: "EVENT_PUBLISH_FAILED",
      message: expect.stringContaining("Build Started: InvalidArgument"),
    });
  });
});
