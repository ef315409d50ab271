import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createWorld,
  deploymentVerified,
  digest,
  due,
  imageApproved,
  type PromotionWorld,
  sha,
} from "./promotion-test-kit.js";

describe("runPromotion: soak time", () => {
  let world: PromotionWorld;

  beforeEach(async () => {
    world = await createWorld();
    world.history.add(sha("1"), "2026-03-01T10:00:00Z").add(sha("2"), "2026-03-01T11:00:00Z", sha("1"));
    await world.run(imageApproved("evt-a", sha("1"), digest("a"), "1.0.0-1111111"));
    await world.run(imageApproved("evt-b", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.intents();
  });

  afterEach(async () => {
    await world.close();
  });

  it("schedules the next environment for when the upstream has run the image for its soak time", async () => {
    // Act
    const result = await world.run(
      deploymentVerified("evt-v", "dev", sha("1"), digest("a"), "2026-03-01T12:00:00Z"),
    );

    // Assert
    expect(result.decisions).toMatchObject([
      { environment: "staging", outcome: "scheduled", dueAt: "2026-03-01T12:10:00.000Z" },
    ]);
    expect(world.scheduler.scheduled).toEqual([
      {
        id: `soak-elapsed.shop.staging.${"a".repeat(64)}`,
        at: new Date("2026-03-01T12:10:00Z"),
        reason: "soak-elapsed",
        app: "shop",
        environment: "staging",
        digest: digest("a"),
        commit: sha("1"),
        correlationId: "push-1111",
      },
    ]);
    expect(await world.intents()).toEqual([]);
    expect(await world.state.pending("shop", "staging")).toMatchObject([
      { status: "soaking", digest: digest("a") },
    ]);
  });

  it("promotes when the soak time is over and the upstream still runs the image", async () => {
    // Arrange
    await world.run(deploymentVerified("evt-v", "dev", sha("1"), digest("a"), "2026-03-01T12:00:00Z"));
    const [check] = world.scheduler.scheduled;
    world.clock.set("2026-03-01T12:10:00Z");

    // Act
    const result = await world.run(due(check!));

    // Assert
    expect(result.decisions.map((d) => [d.environment, d.outcome, d.mode])).toEqual([
      ["staging", "promoted", "pull-request"],
    ]);
    expect((await world.intents()).map((intent) => [intent.environment, intent.image.digest])).toEqual([
      ["staging", digest("a")],
    ]);
    expect(await world.state.pending("shop", "staging")).toEqual([]);
  });

  it("skips an image the upstream replaced during the soak time", async () => {
    // Arrange: a then b verified in dev within staging's soak time
    await world.run(deploymentVerified("evt-v1", "dev", sha("1"), digest("a"), "2026-03-01T12:00:00Z"));
    await world.run(deploymentVerified("evt-v2", "dev", sha("2"), digest("b"), "2026-03-01T12:05:00Z"));
    const [checkA, checkB] = world.scheduler.scheduled;
    world.clock.set("2026-03-01T12:10:00Z");

    // Act
    const first = await world.run(due(checkA!));
    world.clock.set("2026-03-01T12:15:00Z");
    const second = await world.run(due(checkB!));

    // Assert
    expect(first.decisions).toMatchObject([
      {
        outcome: "skipped",
        skip: "superseded",
        reason: "dev now runs 1.1.0-2222222: 1.0.0-1111111 did not stay there for the soak time of staging",
      },
    ]);
    expect(second.decisions.map((d) => d.outcome)).toEqual(["promoted"]);
    expect((await world.intents()).map((intent) => intent.image.digest)).toEqual([digest("b")]);
  });

  it("decides at once when the soak time is 0", async () => {
    // Act: production promotes from staging with no soak time (and manual approval)
    const result = await world.run(
      deploymentVerified("evt-v", "staging", sha("1"), digest("a"), "2026-03-01T12:00:00Z"),
    );

    // Assert
    expect(result.decisions.map((d) => [d.environment, d.outcome])).toEqual([
      ["production", "awaiting-approval"],
    ]);
    expect(world.scheduler.scheduled).toEqual([]);
  });

  it("finds the image of a verification that names no digest from what was promoted there", async () => {
    // Act
    const result = await world.run(
      deploymentVerified("evt-v", "dev", sha("2"), undefined, "2026-03-01T12:00:00Z"),
    );

    // Assert
    expect(result.decisions).toMatchObject([
      { environment: "staging", outcome: "scheduled", digest: digest("b") },
    ]);
    expect(await world.state.environment("shop", "dev")).toMatchObject({
      deployed: { digest: digest("b"), commit: sha("2"), commitTime: "2026-03-01T11:00:00.000Z" },
    });
  });

  it("skips downstream environments when the verified image is unknown", async () => {
    // Act
    const result = await world.run(
      deploymentVerified("evt-v", "dev", sha("9"), undefined, "2026-03-01T12:00:00Z"),
    );

    // Assert
    expect(result.decisions).toMatchObject([
      { environment: "staging", outcome: "skipped", skip: "unknown-image" },
    ]);
    expect(world.scheduler.scheduled).toEqual([]);
  });

  it("decides nothing for a verification at the end of the promotion path", async () => {
    // Act
    const result = await world.run(
      deploymentVerified("evt-v", "production", sha("1"), digest("a"), "2026-03-01T12:00:00Z"),
    );

    // Assert
    expect(result.decisions).toEqual([]);
    expect(await world.state.wasVerified("shop", "production", digest("a"))).toBe(true);
  });
});
