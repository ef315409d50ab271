import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalEventBus } from "../../../../functions/adapters/local/local-event-bus.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { recordBusEndpoint } from "../../../../functions/local/bus/bus-endpoint.js";
import { BusServer } from "../../../../functions/local/bus/bus-server.js";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";

describe("shipline put-events", () => {
  let dir: string;
  let bus: LocalEventBus;
  let server: BusServer;
  let url: string;
  const seen: EventEnvelope[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-put-"));
    seen.length = 0;
    bus = new LocalEventBus();
    bus.addRule(
      {
        name: "ledger-on-hold-released",
        description: "test",
        bus: "shipline",
        eventPattern: { "detail-type": ["Hold Released"] },
        target: { kind: "step", step: "ledger" },
        retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
      },
      async (event) => {
        seen.push(event);
      },
    );
    server = new BusServer({ bus });
    url = await server.start();
  });

  afterEach(async () => {
    await server.stop();
    await bus.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("finds the bus in the data dir's endpoints.json and prints per-entry results", async () => {
    // Arrange
    await recordBusEndpoint(join(dir, ".shipline"), url);
    const capture = captureIo(dir);
    const entries = JSON.stringify([
      { Source: "shipline", DetailType: "Hold Released", Detail: '{"app":"web"}', EventBusName: "shipline" },
      { Source: "aws.ecr", DetailType: "Hold Released", Detail: "{}" },
    ]);

    // Act
    const code = await main(["put-events", "--entries", entries], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(0);
    const output = JSON.parse(capture.stdout());
    expect(output.FailedEntryCount).toBe(1);
    expect(output.Entries[0].EventId).toBe(seen[0]?.id);
    expect(output.Entries[1].ErrorCode).toBe("NotAuthorizedForSourceException");
  });

  it("reads entries from a file and honours --data-dir", async () => {
    // Arrange
    await recordBusEndpoint(join(dir, "state"), url);
    await mkdir(join(dir, "in"));
    await writeFile(
      join(dir, "in", "entries.json"),
      JSON.stringify([
        { Source: "me", DetailType: "Hold Released", Detail: { app: "api" }, Time: "2026-02-01T00:00:00Z" },
      ]),
    );
    const capture = captureIo(dir);

    // Act
    const code = await main(
      ["put-events", "--entries", "file://in/entries.json", "--data-dir", "state"],
      capture.io,
    );
    await bus.drain();

    // Assert
    expect(code).toBe(0);
    expect(seen[0]).toMatchObject({ detail: { app: "api" }, time: "2026-02-01T00:00:00Z" });
  });

  it("uses --endpoint-url when given", async () => {
    // Arrange
    const capture = captureIo(dir);
    const entries = '[{"Source":"me","DetailType":"Hold Released","Detail":"{}"}]';

    // Act
    const code = await main(["put-events", "--entries", entries, "--endpoint-url", url], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(capture.stdout()).FailedEntryCount).toBe(0);
  });

  it("exits 2 with the ValidationException for more than ten entries", async () => {
    // Arrange
    const capture = captureIo(dir);
    const entries = JSON.stringify(
      Array.from({ length: 11 }, () => ({ Source: "me", DetailType: "T", Detail: "{}" })),
    );

    // Act
    const code = await main(["put-events", "--entries", entries, "--endpoint-url", url], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("(ValidationException)");
  });

  it("exits 1 naming the data dir when no bus is recorded", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["put-events", "--entries", '[{"Source":"me"}]'], capture.io);

    // Assert
    expect(code).toBe(1);
    expect(capture.stderr()).toContain("No local bus is recorded in");
    expect(capture.stderr()).toContain("endpoints.json");
  });

  it("exits 1 saying how to start the bus when nothing listens at the endpoint", async () => {
    // Arrange
    const stopped = new BusServer({ bus });
    const deadUrl = await stopped.start();
    await stopped.stop();
    const capture = captureIo(dir);
    const entries = '[{"Source":"me","DetailType":"T","Detail":"{}"}]';

    // Act
    const code = await main(["put-events", "--entries", entries, "--endpoint-url", deadUrl], capture.io);

    // Assert
    expect(code).toBe(1);
    expect(capture.stderr()).toContain(`Cannot reach the local bus at ${deadUrl}`);
  });

  it("exits 2 when the entries are not a list of entries", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(
      ["put-events", "--entries", '{"Source":"me"}', "--endpoint-url", url],
      capture.io,
    );

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("--entries");
  });
});
