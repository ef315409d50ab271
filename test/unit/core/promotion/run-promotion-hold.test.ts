import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createWorld,
  deploymentVerified,
  digest,
  due,
  holdPlaced,
  holdReleased,
  imageApproved,
  type PromotionWorld,
  promotionApproved,
  sha,
} from "./promotion-test-kit.js";

describe("runPromotion: holds", () => {
  let world: PromotionWorld;

  beforeEach(async () => {
    world = await createWorld();
    world.history
      .add(sha("1"), "2026-03-01T10:00:00Z")
      .add(sha("2"), "2026-03-01T11:00:00Z", sha("1"))
      .add(sha("3"), "2026-03-01T11:30:00Z", sha("2"));
  });

  afterEach(async () => {
    await world.close();
  });

  it("stops automatic promotion into the held environment only", async () => {
    // Arrange
    await world.run(holdPlaced("hold-1", "dev"));

    // Act
    const result = await world.run(imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111"));

    // Assert
    expect(result.decisions.map((d) => [d.environment, d.outcome, d.skip])).toEqual([
      ["dev", "skipped", "held"],
      ["qa", "promoted", undefined],
    ]);
    expect(result.decisions[0]?.reason).toBe(
      "held in dev: change freeze (placed by bob, until released); it is reconsidered on 'shipline release shop dev'",
    );
    expect((await world.intents()).map((intent) => intent.environment)).toEqual(["qa"]);
  });

  it("promotes the newest held image once the hold is released", async () => {
    // Arrange
    await world.run(holdPlaced("hold-1", "dev"));
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.run(imageApproved("evt-3", sha("3"), digest("c"), "1.2.0-3333333"));
    await world.intents();

    // Act
    const result = await world.run(holdReleased("release-1", "dev"));

    // Assert
    expect(result.decisions.map((d) => [d.digest, d.outcome, d.skip])).toEqual([
      [digest("c"), "promoted", undefined],
      [digest("b"), "skipped", "superseded"],
    ]);
    expect(await world.intents()).toMatchObject([
      { intentId: "release-1/dev", image: { digest: digest("c") } },
    ]);
    expect(await world.state.pending("shop", "dev")).toEqual([]);
  });

  it("lets promotion go on once a hold has expired, and reconsiders held images at the expiry", async () => {
    // Arrange
    await world.run(holdPlaced("hold-1", "dev", { expiresAt: "2026-03-01T14:00:00Z" }));
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.intents();
    const [expiry] = world.scheduler.scheduled;
    world.clock.set("2026-03-01T14:00:00Z");

    // Act
    const atExpiry = await world.run(due(expiry!));
    const later = await world.run(imageApproved("evt-3", sha("3"), digest("c"), "1.2.0-3333333"));

    // Assert
    expect(expiry).toMatchObject({
      reason: "hold-expired",
      environment: "dev",
      at: new Date("2026-03-01T14:00:00Z"),
    });
    expect(atExpiry.decisions.map((d) => [d.environment, d.digest, d.outcome])).toEqual([
      ["dev", digest("b"), "promoted"],
    ]);
    expect(later.decisions.map((d) => [d.environment, d.outcome])).toEqual([
      ["dev", "promoted"],
      ["qa", "promoted"],
    ]);
  });

  it("does nothing at the old expiry of a hold that was placed again for longer", async () => {
    // Arrange
    await world.run(holdPlaced("hold-1", "dev", { expiresAt: "2026-03-01T14:00:00Z" }));
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.run(holdPlaced("hold-2", "dev", { expiresAt: "2026-03-02T14:00:00Z" }));
    await world.intents();
    world.clock.set("2026-03-01T14:00:00Z");

    // Act
    const result = await world.run(due(world.scheduler.scheduled[0]!));

    // Assert
    expect(result.decisions).toEqual([]);
    expect(await world.intents()).toEqual([]);
  });

  it("lets an explicit approval pass a hold, but not a hold on that very image", async () => {
    // Arrange: b verified in staging; production is held, once generally and once naming c
    world.clock.set("2026-03-01T13:00:00Z");
    for (const [id, commit, image] of [
      ["b", sha("2"), digest("b")],
      ["c", sha("3"), digest("c")],
    ] as const) {
      await world.run(imageApproved(`evt-${id}`, commit, image, `tag-${id}`));
      await world.run(deploymentVerified(`dev-${id}`, "dev", commit, image, "2026-03-01T12:00:00Z"));
      await world.run(deploymentVerified(`staging-${id}`, "staging", commit, image, "2026-03-01T12:30:00Z"));
    }
    await world.intents();
    await world.run(holdPlaced("hold-1", "production"));

    // Act
    const passes = await world.run(promotionApproved("approval-1", "production", sha("2"), digest("b")));
    await world.run(holdPlaced("hold-2", "production", { digest: digest("c") }));
    const refused = await world.run(promotionApproved("approval-2", "production", sha("3"), digest("c")));

    // Assert
    expect(passes.decisions.map((d) => d.outcome)).toEqual(["promoted"]);
    expect(refused.decisions).toMatchObject([
      {
        outcome: "skipped",
        skip: "held",
        reason:
          "the hold in production names this very image: change freeze (placed by bob); run 'shipline release shop production' before approving it",
      },
    ]);
    expect((await world.intents()).map((intent) => intent.image.digest)).toEqual([digest("b")]);
  });
});
