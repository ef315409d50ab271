import { afterEach, describe, expect, it } from "vitest";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";
import { type CliBus, digest, seedImage, startCliBus } from "./promotion-cli-kit.js";

const COMMIT = "1".repeat(40);
const CONFIG_COMMIT = "9".repeat(40);

/** What the chain answers a `Promotion Approved` with: a config commit, then the deployment's outcome. */
function chainAnswering(outcome: "Deployment Verified" | "Deployment Failed") {
  return (event: EventEnvelope) => {
    if (event["detail-type"] !== "Promotion Approved") return [];
    const about = { app: "shop", commit: COMMIT, correlationId: "push-1", environment: "production" };
    return [
      // Another environment's deployment of the same image says nothing about this approval.
      {
        detailType: "Deployment Verified",
        detail: { ...about, environment: "staging", digest: digest("a") },
      },
      {
        detailType: "Config Committed",
        detail: { ...about, digest: digest("a"), tag: "1.0.0-1111111", configCommit: CONFIG_COMMIT },
      },
      {
        detailType: outcome,
        detail: {
          ...about,
          digest: digest("a"),
          reason: "the application is Degraded: /health answered 500",
        },
      },
    ];
  };
}

describe("shipline approve --wait", () => {
  let bus: CliBus | undefined;

  afterEach(async () => {
    await bus?.close();
    bus = undefined;
  });

  it("follows the bus archive until the image is verified in the environment, and exits 0", async () => {
    // Arrange
    bus = await startCliBus({ archive: true, respond: chainAnswering("Deployment Verified") });
    await seedImage(bus.state);
    const capture = captureIo(bus.dir, { USER: "alice" });

    // Act
    const code = await main(
      ["approve", "shop", "production", digest("a"), "--wait", "--timeout", "30s"],
      capture.io,
    );

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    const lines = capture.stdout().trim().split("\n");
    expect(lines[0]).toMatch(/^Promotion Approved: shop 1\.0\.0-1111111/);
    expect(lines.slice(1)).toEqual([
      "Waiting for production to run 1.0.0-1111111 (at most 30s; Ctrl+C stops waiting)",
      "· Config Committed: 1.0.0-1111111 → config commit 9999999, deploying",
      "✓ Deployment Verified: production runs 1.0.0-1111111, Synced and Healthy",
    ]);
  });

  it("exits 1 with the reason when the deployment fails", async () => {
    // Arrange
    bus = await startCliBus({ archive: true, respond: chainAnswering("Deployment Failed") });
    await seedImage(bus.state);
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(["approve", "shop", "production", digest("a"), "--wait"], capture.io);

    // Assert
    expect(code).toBe(1);
    expect(capture.stdout()).toContain(
      "✗ Deployment Failed in production: the application is Degraded: /health answered 500\n",
    );
  });

  it("exits 1 when promote refuses the approval, with promote's reason", async () => {
    // Arrange
    bus = await startCliBus({ archive: true });
    await seedImage(bus.state);
    const state = bus.state;
    const capture = captureIo(bus.dir);
    const running = main(["approve", "shop", "production", digest("a"), "--wait"], capture.io);
    await waitUntil(() => bus?.seen.length === 1);
    const approval = bus.seen[0];

    // Act
    await state.recordDecision({
      outcome: "skipped",
      skip: "would-downgrade",
      app: "shop",
      environment: "production",
      digest: digest("a"),
      commit: COMMIT,
      correlationId: "push-1",
      reason: "1.0.0-1111111 would downgrade production: 1111111 is an ancestor of 2222222",
      trigger: { kind: "promotion-approved", eventId: approval?.id ?? "" },
      decidedAt: new Date().toISOString(),
    });
    const code = await running;

    // Assert
    expect(code).toBe(1);
    expect(capture.stdout()).toContain(
      "✗ not promoted: 1.0.0-1111111 would downgrade production: 1111111 is an ancestor of 2222222\n",
    );
  });

  it("gives up after --timeout with exit code 1, saying how to follow the journey", async () => {
    // Arrange
    bus = await startCliBus({ archive: true });
    await seedImage(bus.state);
    const capture = captureIo(bus.dir);

    // Act
    const code = await main(
      ["approve", "shop", "production", digest("a"), "--wait", "--timeout", "1s"],
      capture.io,
    );

    // Assert
    expect(code).toBe(1);
    expect(capture.stderr()).toBe(
      "shipline approve: no outcome after 1s; follow it with: shipline trace shop\n",
    );
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!condition()) throw new Error("the condition never held");
}
