import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { holdPlacedDetail } from "../../../../functions/core/contracts/events/hold-placed.js";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";
import { type CliBus, digest, seedImage, startCliBus } from "./promotion-cli-kit.js";

describe("shipline hold", () => {
  let bus: CliBus;

  beforeEach(async () => {
    bus = await startCliBus();
  });

  afterEach(async () => {
    await bus.close();
  });

  it("puts a Hold Placed event about what the environment runs on the local bus", async () => {
    // Arrange
    await seedImage(bus.state);
    await bus.state.putEnvironment("shop", "production", {
      deployed: { digest: digest("a"), commit: "1".repeat(40), at: "2026-03-01T12:00:00.000Z" },
    });
    const capture = captureIo(bus.dir, { USER: "bob" });

    // Act
    const code = await main(["hold", "shop", "production", "--reason", "change freeze"], capture.io);
    await bus.drain();

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    expect(bus.seen[0]).toMatchObject({
      "detail-type": "Hold Placed",
      detail: {
        app: "shop",
        environment: "production",
        commit: "1".repeat(40),
        correlationId: "push-1",
        reason: "change freeze",
        placedBy: "bob",
      },
    });
    expect(bus.seen[0]?.detail).not.toHaveProperty("expiresAt");
    expect(capture.stdout()).toContain("Hold Placed: shop in production until released by bob");
  });

  it("sets the expiry from --expires", async () => {
    // Arrange
    const capture = captureIo(bus.dir);
    const before = Date.now();

    // Act
    const code = await main(
      ["hold", "shop", "dev", "--reason", "flaky tests", "--expires", "2h", "--commit", "3".repeat(40)],
      capture.io,
    );
    await bus.drain();

    // Assert
    expect(code).toBe(0);
    const detail = holdPlacedDetail.parse(bus.seen[0]?.detail);
    const expiresAt = Date.parse(detail.expiresAt ?? "");
    expect(expiresAt).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
    expect(capture.stdout()).toContain("for 2h");
  });

  it.each([
    [["hold", "shop", "dev", "--commit", "3".repeat(40)], "--reason is required"],
    [
      ["hold", "shop", "dev", "--reason", "x", "--expires", "2 hours"],
      "--expires '2 hours' is not a duration",
    ],
    [
      ["hold", "shop", "dev", "--reason", "x", "--digest", "latest"],
      "--digest 'latest' is not an image digest",
    ],
    [["hold", "shop", "dev", "--reason", "x"], "nothing of shop is recorded in dev"],
    [["hold", "shop", "dev", "extra", "--reason", "x"], "expected 2 arguments (<app> <env>), got 3"],
  ])("rejects bad arguments %j with exit code 2", async (args, message) => {
    // Arrange
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(args, capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain(message);
    expect(bus.seen).toEqual([]);
  });

  it("says how to start the local runtime when no bus is recorded", async () => {
    // Arrange
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(
      ["hold", "shop", "dev", "--reason", "x", "--commit", "3".repeat(40), "--data-dir", "elsewhere"],
      capture.io,
    );

    // Assert
    expect(code).toBe(1);
    expect(capture.stderr()).toContain("start the local runtime ('npm start')");
  });
});
