import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";
import { type CliBus, digest, seedImage, startCliBus } from "./promotion-cli-kit.js";

describe("shipline release", () => {
  let bus: CliBus;

  beforeEach(async () => {
    bus = await startCliBus();
  });

  afterEach(async () => {
    await bus.close();
  });

  it("puts a Hold Released event on the local bus", async () => {
    // Arrange
    await seedImage(bus.state);
    await bus.state.putEnvironment("shop", "dev", {
      promoted: { digest: digest("a"), commit: "1".repeat(40), at: "2026-03-01T12:00:00.000Z" },
    });
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(
      ["release", "shop", "dev", "--by", "carol", "--reason", "freeze over"],
      capture.io,
    );
    await bus.drain();

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    expect(bus.seen[0]).toMatchObject({
      "detail-type": "Hold Released",
      detail: {
        app: "shop",
        environment: "dev",
        commit: "1".repeat(40),
        releasedBy: "carol",
        reason: "freeze over",
      },
    });
    expect(capture.stdout()).toBe(
      `Hold Released: shop in dev by carol (event ${bus.seen[0]?.id})\nNo image waits behind the hold: the next image approved for dev goes in.\n`,
    );
  });

  it("says which image goes in: the newest one the hold kept out, never one that failed there", async () => {
    // Arrange
    await seedImage(bus.state);
    await seedImage(bus.state, digest("b"));
    const held = { app: "shop", environment: "dev", commit: "1".repeat(40), correlationId: "push-1" };
    await bus.state.putPending({
      ...held,
      digest: digest("a"),
      status: "held",
      since: "2026-03-01T12:00:00.000Z",
    });
    await bus.state.putPending({
      ...held,
      digest: digest("b"),
      status: "held",
      since: "2026-03-01T12:05:00.000Z",
    });
    await bus.state.putFailure({
      app: "shop",
      environment: "dev",
      digest: digest("b"),
      commit: "1".repeat(40),
      configCommit: "9".repeat(40),
      reason: "Degraded",
      failedAt: "2026-03-01T12:06:00.000Z",
    });
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(["release", "shop", "dev", "--commit", "1".repeat(40)], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toContain(
      "1.0.0-1111111, the newest image the hold kept out, is reconsidered for dev now.",
    );
  });

  it("rejects a bad environment name with exit code 2 and sends nothing", async () => {
    // Arrange
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(["release", "shop", "dev-"], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("<env> 'dev-' is not a Shipline name");
    expect(bus.seen).toEqual([]);
  });
});
