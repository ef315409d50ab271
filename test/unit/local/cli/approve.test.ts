import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";
import { type CliBus, digest, seedImage, startCliBus } from "./promotion-cli-kit.js";

describe("shipline approve", () => {
  let bus: CliBus;

  beforeEach(async () => {
    bus = await startCliBus();
  });

  afterEach(async () => {
    await bus.close();
  });

  it("puts a Promotion Approved event for a known image on the local bus", async () => {
    // Arrange
    await seedImage(bus.state);
    const capture = captureIo(bus.dir, { USER: "alice" });

    // Act
    const code = await main(
      ["approve", "shop", "production", digest("a"), "--comment", "release 1.0"],
      capture.io,
    );
    await bus.drain();

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    expect(bus.seen).toHaveLength(1);
    expect(bus.seen[0]).toMatchObject({
      source: "shipline",
      "detail-type": "Promotion Approved",
      detail: {
        app: "shop",
        commit: "1".repeat(40),
        correlationId: "push-1",
        environment: "production",
        digest: digest("a"),
        approvedBy: "alice",
        comment: "release 1.0",
      },
    });
    expect(capture.stdout()).toBe(
      `Promotion Approved: shop 1.0.0-1111111 (${digest("a")}) into production by alice (event ${bus.seen[0]?.id})\n`,
    );
  });

  it("takes the source commit from --commit for an image the local state does not know", async () => {
    // Arrange
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(
      ["approve", "shop", "staging", digest("b"), "--commit", "2".repeat(40), "--by", "bob"],
      capture.io,
    );
    await bus.drain();

    // Assert
    expect(code).toBe(0);
    expect(bus.seen[0]?.detail).toMatchObject({
      commit: "2".repeat(40),
      approvedBy: "bob",
      environment: "staging",
    });
  });

  it("refuses an unknown image without --commit, naming the fix, and sends nothing", async () => {
    // Arrange
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(["approve", "shop", "production", digest("c")], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(3);
    expect(capture.stderr()).toContain(`no approved image ${digest("c")} of shop is recorded in`);
    expect(capture.stderr()).toContain("pass --commit <sha>");
    expect(bus.seen).toEqual([]);
  });

  it.each([
    [["approve", "Shop", "production", digest("a")], "<app> 'Shop' is not a Shipline name"],
    [["approve", "shop", "prod_eu", digest("a")], "<env> 'prod_eu' is not a Shipline name"],
    [["approve", "shop", "production", "sha256:abc"], "<digest> 'sha256:abc' is not an image digest"],
    [["approve", "shop", "production", "not a tag!"], "<digest> 'not a tag!' is not an image digest"],
    [["approve", "shop", "production"], "expected 3 arguments (<app> <env> <digest>), got 2"],
    [
      ["approve", "shop", "production", digest("a"), "--commit", "abc"],
      "--commit 'abc' is not a full git sha",
    ],
  ])("rejects bad arguments %j with exit code 2 and the usage", async (args, message) => {
    // Arrange
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(args, capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain(message);
    expect(capture.stderr()).toContain("usage: shipline approve <app> <env> <digest>");
  });

  it.each([
    ["the digest as status and trace print it", digest("a").slice(0, 19)],
    ["the image's tag", "1.0.0-1111111"],
  ])("accepts %s and approves the full digest", async (_what, given) => {
    // Arrange
    await seedImage(bus.state);
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(["approve", "shop", "production", given], capture.io);
    await bus.drain();

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    expect(bus.seen[0]?.detail).toMatchObject({ digest: digest("a") });
  });

  it("asks for more characters when a tag names two images, and sends nothing", async () => {
    // Arrange
    await seedImage(bus.state);
    await seedImage(bus.state, digest("b"));
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(["approve", "shop", "production", "1.0.0-1111111"], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("matches 2 images of shop");
    expect(bus.seen).toEqual([]);
  });

  it("says no image matches a prefix nothing has, with exit code 3", async () => {
    // Arrange
    await seedImage(bus.state);
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(["approve", "shop", "production", "sha256:0123456"], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(3);
    expect(capture.stderr()).toContain("no approved image of shop has the digest sha256:0123456");
    expect(bus.seen).toEqual([]);
  });

  it("asks for a redeploy of an image that failed in the environment", async () => {
    // Arrange
    await seedImage(bus.state);
    await bus.state.putFailure({
      app: "shop",
      environment: "production",
      digest: digest("a"),
      commit: "1".repeat(40),
      configCommit: "9".repeat(40),
      reason: "the application is Degraded",
      failedAt: "2026-03-01T12:00:00.000Z",
    });
    const capture = captureIo(bus.dir, { USER: "alice" });

    // Act
    const code = await main(["approve", "shop", "production", digest("a"), "--redeploy"], capture.io);
    await bus.drain();

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    expect(bus.seen[0]?.detail).toMatchObject({ digest: digest("a"), redeploy: true });
    expect(capture.stdout()).toContain("Promotion Approved (redeploy): shop 1.0.0-1111111");
  });

  it("refuses --redeploy of an image that never failed there, and sends nothing", async () => {
    // Arrange
    await seedImage(bus.state);
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(["approve", "shop", "production", digest("a"), "--redeploy"], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("1.0.0-1111111 never failed there: approve it without --redeploy");
    expect(bus.seen).toEqual([]);
  });

  it.each([
    [["approve", "shop", "production", digest("a")], "no app is named 'shop'"],
    [["approve", "demo", "qa", digest("a")], "no environment is named 'qa'"],
  ])("refuses %j for a name the configuration does not have, with exit code 3", async (args, message) => {
    // Arrange
    const capture = captureIo(bus.dir);
    const config = fileURLToPath(new URL("../../../../shipline.config.yaml", import.meta.url));

    // Act
    const code = await main([...args, "--config", config], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(3);
    expect(capture.stderr()).toContain(message);
    expect(bus.seen).toEqual([]);
  });
});
