import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalEventBus } from "../../../../functions/adapters/local/local-event-bus.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { recordBusEndpoint } from "../../../../functions/local/bus/bus-endpoint.js";
import { busLayout } from "../../../../functions/local/bus/bus-layout.js";
import { BusServer } from "../../../../functions/local/bus/bus-server.js";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";

describe("shipline dlq", () => {
  let dir: string;
  let dataDir: string;
  let bus: LocalEventBus;
  let server: BusServer;
  let down: boolean;
  let received: EventEnvelope[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-dlq-"));
    dataDir = join(dir, "data");
    const layout = busLayout(dataDir);
    bus = new LocalEventBus({ archivePath: layout.archive, deadLetterPath: layout.deadLetters });
    down = true;
    received = [];
    bus.addRule(
      {
        name: "promote-on-promotion-trigger",
        description: "test",
        bus: "shipline",
        eventPattern: { source: ["shipline"] },
        target: { kind: "step", step: "promote" },
        retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
      },
      async (event) => {
        if (down)
          throw new ShiplineError({ code: "PROMOTE_DOWN", message: "promote is down", retryable: false });
        received.push(event);
      },
    );
    server = new BusServer({ bus });
    await recordBusEndpoint(dataDir, await server.start());
  });

  afterEach(async () => {
    await server.stop();
    await bus.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists a delivery the bus gave up, with the target's own error, and exits 1", async () => {
    // Arrange
    await bus.putEvents([
      { Source: "shipline", DetailType: "Image Approved", Detail: '{"app":"web","commit":"abc1234def"}' },
    ]);
    await bus.drain();
    const capture = captureIo(dir);

    // Act
    const code = await main(["dlq", "--data-dir", dataDir], capture.io);

    // Assert
    expect(code).toBe(1);
    expect(capture.stdout()).toMatch(
      /promote-on-promotion-trigger\s+Image Approved web@abc1234\s+1\s+waiting\s+non-retryable: PROMOTE_DOWN promote is down/,
    );
  });

  it("redrives it to its rule once the cause is fixed, marks it redriven and exits 0", async () => {
    // Arrange
    await bus.putEvents([
      { Source: "shipline", DetailType: "Image Approved", Detail: '{"app":"web","commit":"abc1234def"}' },
    ]);
    await bus.drain();
    down = false;
    const capture = captureIo(dir);

    // Act
    const code = await main(["dlq", "--redrive", "--data-dir", dataDir], capture.io);
    await bus.drain();

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    expect(received.map((event) => event["detail-type"])).toEqual(["Image Approved"]);
    expect(capture.stdout()).toContain(
      "Redriven: Image Approved web@abc1234 to promote-on-promotion-trigger",
    );
    expect(capture.stdout()).toMatch(/\sredriven\s/);
  });

  it("refuses --queue without --aws, with exit 2", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(
      ["dlq", "--queue", "https://sqs.eu-west-1.amazonaws.com/123456789012/q"],
      capture.io,
    );

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("--queue needs --aws");
  });
});
