import { EventBridgeClient, PutEventsCommand, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalEventBus } from "../../../../functions/adapters/local/local-event-bus.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { BusServer } from "../../../../functions/local/bus/bus-server.js";

describe("BusServer", () => {
  let bus: LocalEventBus;
  let server: BusServer;
  let client: EventBridgeClient;
  const seen: EventEnvelope[] = [];

  beforeEach(async () => {
    seen.length = 0;
    bus = new LocalEventBus();
    bus.addRule(
      {
        name: "ledger-on-custom",
        description: "test",
        bus: "default",
        eventPattern: { source: ["com.example"] },
        target: { kind: "step", step: "ledger" },
        retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
      },
      async (event) => {
        seen.push(event);
      },
    );
    server = new BusServer({ bus });
    const url = await server.start();
    client = new EventBridgeClient({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    client.destroy();
    await server.stop();
    await bus.close();
  });

  it("listens on 127.0.0.1 on a free port", () => {
    // Arrange
    const url = server.url;

    // Act
    const parsed = new URL(url ?? "");

    // Assert
    expect(parsed.hostname).toBe("127.0.0.1");
    expect(Number(parsed.port)).toBeGreaterThan(0);
  });

  it("serves PutEvents to the real EventBridge SDK client, with per-entry results", async () => {
    // Arrange
    const command = new PutEventsCommand({
      Entries: [
        {
          Source: "com.example",
          DetailType: "Thing Happened",
          Detail: '{"key1":"value1"}',
          Resources: ["resource1"],
          Time: new Date("2016-01-14T01:02:03Z"),
        },
        { Source: "com.example", DetailType: "Thing Happened", Detail: "{ not json" },
      ],
    });

    // Act
    const response = await client.send(command);
    await bus.drain();

    // Assert
    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.Entries?.[1]).toMatchObject({ ErrorCode: "MalformedDetail" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      id: response.Entries?.[0]?.EventId,
      time: "2016-01-14T01:02:03Z",
      resources: ["resource1"],
      detail: { key1: "value1" },
    });
  });

  it("answers a request of eleven entries with a ValidationException", async () => {
    // Arrange
    const entry = { Source: "com.example", DetailType: "T", Detail: "{}" };
    const command = new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) });

    // Act
    const result = client.send(command);

    // Assert
    await expect(result).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("serves TestEventPattern, answering InvalidEventPatternException for a bad pattern", async () => {
    // Arrange
    const event = JSON.stringify({ source: "com.example", detail: { n: 5 } });
    const good = new TestEventPatternCommand({
      EventPattern: '{"detail":{"n":[{"numeric":[">",1]}]}}',
      Event: event,
    });
    const bad = new TestEventPatternCommand({
      EventPattern: '{"detail":{"n":[{"numeric":[">","1"]}]}}',
      Event: event,
    });

    // Act
    const result = await client.send(good);
    const failure = client.send(bad);

    // Assert
    expect(result.Result).toBe(true);
    await expect(failure).rejects.toMatchObject({
      name: "InvalidEventPatternException",
      message: expect.stringContaining("Value of > must be numeric"),
    });
  });

  it("refuses an operation it does not serve", async () => {
    // Arrange
    const url = server.url ?? "";

    // Act
    const response = await fetch(url, {
      method: "POST",
      headers: { "x-amz-target": "AWSEvents.ListRules", "content-type": "application/x-amz-json-1.1" },
      body: "{}",
    });

    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: "UnknownOperationException" });
  });
});
