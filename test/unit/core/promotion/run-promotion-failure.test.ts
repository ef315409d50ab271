import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PromotionTrigger } from "../../../../functions/core/promotion/promotion-trigger.js";
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

/** A `Deployment Failed` trigger of an image of shop. */
function deploymentFailed(
  eventId: string,
  environment: string,
  commit: string,
  image: string,
): PromotionTrigger {
  return {
    kind: "deployment-failed",
    eventId,
    time: new Date("2026-03-01T12:05:00Z"),
    detail: {
      schemaVersion: 1,
      app: "shop",
      commit,
      correlationId: `push-${commit.slice(0, 1)}`,
      environment,
      cluster: "nonprod",
      application: `shop-${environment}`,
      revision: sha("e"),
      reason: "the application is Degraded",
      resources: [],
      digest: image,
      tag: "1.1.0-2222222",
    },
  };
}

describe("runPromotion: failed images (DESIGN §7)", () => {
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

  it("cancels the soak of an image that failed upstream, and skips it when the soak ends", async () => {
    // Arrange
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.run(deploymentVerified("ver-2", "dev", sha("2"), digest("b"), "2026-03-01T12:01:00Z"));
    const [soak] = world.scheduler.scheduled;

    // Act
    const failed = await world.run(deploymentFailed("fail-2", "dev", sha("2"), digest("b")));
    world.clock.set("2026-03-01T12:30:00Z");
    const atSoak = await world.run(due(soak!));

    // Assert
    expect(failed.decisions.map((d) => [d.environment, d.outcome, d.skip])).toEqual([
      ["staging", "skipped", "failed-upstream"],
    ]);
    expect(failed.decisions[0]?.reason).toContain("cancelled: 1.1.0-2222222 was soaking for staging");
    expect(await world.state.pending("shop", "staging")).toEqual([]);
    expect(atSoak.decisions.map((d) => [d.environment, d.outcome, d.skip])).toEqual([
      ["staging", "skipped", "failed-upstream"],
    ]);
  });

  it("never brings a failed image back by automation, even after its hold is released", async () => {
    // Arrange
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.run(deploymentFailed("fail-2", "dev", sha("2"), digest("b")));
    await world.run(holdPlaced("hold-1", "dev", { digest: digest("b") }));
    await world.run(holdReleased("release-1", "dev"));
    await world.intents();

    // Act
    const again = await world.run(imageApproved("evt-2-again", sha("2"), digest("b"), "1.1.0-2222222"));

    // Assert
    expect(again.decisions.map((d) => [d.environment, d.outcome, d.skip])).toEqual([
      ["dev", "skipped", "failed-here"],
      ["qa", "skipped", "already-deployed"],
    ]);
    expect(again.decisions[0]?.reason).toContain(`shipline approve shop dev ${digest("b")} --redeploy`);
    expect(await world.intents()).toEqual([]);
  });

  it("lets the newest held image in when the hold is released, and not the failed one", async () => {
    // Arrange
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.run(deploymentFailed("fail-2", "dev", sha("2"), digest("b")));
    await world.run(holdPlaced("hold-1", "dev", { digest: digest("b") }));
    await world.run(imageApproved("evt-3", sha("3"), digest("c"), "1.2.0-3333333"));
    await world.intents();

    // Act
    const released = await world.run(holdReleased("release-1", "dev"));

    // Assert
    expect(released.decisions.map((d) => [d.digest, d.outcome])).toEqual([[digest("c"), "promoted"]]);
    expect(await world.intents()).toMatchObject([{ environment: "dev", image: { digest: digest("c") } }]);
  });

  it("promotes nothing onward from a rollback's verification", async () => {
    // Arrange
    await world.run(imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111"));
    await world.intents();
    const restored = deploymentVerified("ver-revert", "dev", sha("2"), digest("a"), "2026-03-01T12:06:00Z");
    if (restored.kind !== "deployment-verified") throw new Error("unexpected trigger");

    // Act
    const result = await world.run({ ...restored, detail: { ...restored.detail, kind: "revert" } });

    // Assert
    expect(result.decisions).toEqual([]);
    expect(world.scheduler.scheduled).toEqual([]);
  });

  it("redeploys a failed image only on an explicit approval with redeploy", async () => {
    // Arrange
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.run(deploymentFailed("fail-2", "dev", sha("2"), digest("b")));
    await world.intents();
    const approval = promotionApproved("approve-1", "dev", sha("2"), digest("b"));
    if (approval.kind !== "promotion-approved") throw new Error("unexpected trigger");

    // Act
    const plain = await world.run(approval);
    const redeploy = await world.run({
      ...approval,
      eventId: "approve-2",
      detail: { ...approval.detail, redeploy: true },
    });

    // Assert
    expect(plain.decisions.map((d) => [d.outcome, d.skip])).toEqual([["skipped", "failed-here"]]);
    expect(redeploy.decisions.map((d) => [d.outcome, d.reason])).toEqual([
      ["promoted", "promote 1.1.0-2222222 into dev again, as approved with --redeploy by a commit"],
    ]);
    expect(await world.intents()).toMatchObject([
      { intentId: "approve-2/dev", image: { digest: digest("b") } },
    ]);
  });

  it("lets an image redeployed and verified where it had failed move onward again", async () => {
    // Arrange
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.run(deploymentFailed("fail-2", "dev", sha("2"), digest("b")));
    const approval = promotionApproved("approve-1", "dev", sha("2"), digest("b"));
    if (approval.kind !== "promotion-approved") throw new Error("unexpected trigger");
    await world.run({ ...approval, detail: { ...approval.detail, redeploy: true } });
    await world.intents();

    // Act
    const verified = await world.run(
      deploymentVerified("ver-redeploy", "dev", sha("2"), digest("b"), "2026-03-01T12:20:00Z"),
    );

    // Assert
    expect(verified.decisions.map((d) => [d.environment, d.outcome])).toEqual([["staging", "scheduled"]]);
    expect(await world.state.failure("shop", "dev", digest("b"))).toBeUndefined();
  });

  it("refuses a redeploy of an image that never failed there", async () => {
    // Arrange
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    const approval = promotionApproved("approve-1", "qa", sha("2"), digest("b"));
    if (approval.kind !== "promotion-approved") throw new Error("unexpected trigger");

    // Act
    const result = await world.run({ ...approval, detail: { ...approval.detail, redeploy: true } });

    // Assert
    expect(result.decisions.map((d) => [d.outcome, d.skip])).toEqual([["skipped", "never-failed"]]);
  });

  it("publishes Promotion Waiting for an image that waits for approval, the soak time or a hold", async () => {
    // Arrange
    await world.run(holdPlaced("hold-1", "qa"));
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.run(deploymentVerified("ver-2", "dev", sha("2"), digest("b"), "2026-03-01T12:01:00Z"));

    // Act
    const waits = world.published.map((request) => request.detail);

    // Assert
    expect(waits).toEqual([
      expect.objectContaining({
        environment: "qa",
        waitingFor: "hold",
        heldBy: "bob",
        tag: "1.1.0-2222222",
        command: "shipline release shop qa",
      }),
      expect.objectContaining({
        environment: "staging",
        waitingFor: "soak",
        until: "2026-03-01T12:11:00.000Z",
        digest: digest("b"),
      }),
    ]);
    expect(world.published.every((request) => request.detailType === "Promotion Waiting")).toBe(true);
  });
});
