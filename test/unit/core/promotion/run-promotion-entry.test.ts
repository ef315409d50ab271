import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  APP_REPO,
  createWorld,
  deploymentVerified,
  digest,
  imageApproved,
  type PromotionWorld,
  promotionApproved,
  sha,
} from "./promotion-test-kit.js";

describe("runPromotion: entering environments", () => {
  let world: PromotionWorld;

  beforeEach(async () => {
    world = await createWorld();
    world.history.add(sha("1"), "2026-03-01T10:00:00Z").add(sha("2"), "2026-03-01T11:00:00Z", sha("1"));
  });

  afterEach(async () => {
    await world.close();
  });

  it("sends an approved image to every first environment, in promotion order, and nowhere else", async () => {
    // Arrange
    const approved = imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111");

    // Act
    const result = await world.run(approved);

    // Assert
    expect(result.decisions.map((d) => [d.environment, d.outcome, d.mode])).toEqual([
      ["dev", "promoted", "commit"],
      ["qa", "promoted", "commit"],
    ]);
    const intents = await world.intents();
    expect(intents.map((intent) => intent.environment)).toEqual(["dev", "qa"]);
    expect(intents[0]).toMatchObject({
      intentId: "evt-1/dev",
      kind: "update",
      app: "shop",
      commit: sha("1"),
      correlationId: "push-1111",
      target: { kind: "helm", file: "envs/dev/values.yaml", path: "image.tag", field: "tag" },
      image: { repository: "shop", tag: "1.0.0-1111111", digest: digest("a") },
    });
    expect(world.scheduler.scheduled).toEqual([]);
  });

  it("records the image with its commit time and every decision for the ledger", async () => {
    // Arrange
    const approved = imageApproved("evt-1", sha("2"), digest("b"), "1.1.0-2222222");

    // Act
    await world.run(approved);

    // Assert
    expect(await world.state.image("shop", digest("b"))).toMatchObject({
      commit: sha("2"),
      commitTime: "2026-03-01T11:00:00.000Z",
    });
    expect(world.history.repos).toContain(APP_REPO);
    const recorded = await world.state.decisions("shop", sha("2"));
    expect(recorded.map((d) => [d.environment, d.outcome, d.trigger])).toEqual([
      ["dev", "promoted", { kind: "image-approved", eventId: "evt-1" }],
      ["qa", "promoted", { kind: "image-approved", eventId: "evt-1" }],
    ]);
  });

  it("does nothing the second time the same event is delivered", async () => {
    // Arrange
    const approved = imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111");
    await world.run(approved);
    await world.intents();

    // Act
    const again = await world.run(approved);

    // Assert
    expect(again).toEqual({ eventId: "evt-1", duplicate: true, decisions: [] });
    expect(await world.intents()).toEqual([]);
  });

  it("skips an image an environment already runs", async () => {
    // Arrange
    await world.run(imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111"));
    await world.intents();

    // Act
    const result = await world.run(imageApproved("evt-2", sha("1"), digest("a"), "1.0.0-1111111"));

    // Assert
    expect(result.decisions.map((d) => [d.environment, d.outcome, d.skip])).toEqual([
      ["dev", "skipped", "already-deployed"],
      ["qa", "skipped", "already-deployed"],
    ]);
    expect(await world.intents()).toEqual([]);
  });

  it("opens a pull request where the environment asks for one", async () => {
    // Arrange
    world.clock.set("2026-03-01T13:00:00Z");
    await world.run(imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111"));
    await world.intents();

    // Act: verified in dev long enough ago that staging's soak time is over
    const result = await world.run(
      deploymentVerified("evt-2", "dev", sha("1"), digest("a"), "2026-03-01T12:30:00Z"),
    );

    // Assert
    expect(result.decisions.map((d) => [d.environment, d.outcome, d.mode])).toEqual([
      ["staging", "promoted", "pull-request"],
    ]);
    expect((await world.intents()).map((intent) => [intent.environment, intent.mode])).toEqual([
      ["staging", "pull-request"],
    ]);
  });

  describe("with manual approval", () => {
    beforeEach(async () => {
      world.clock.set("2026-03-01T13:00:00Z");
      await world.run(imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111"));
      await world.run(deploymentVerified("evt-2", "dev", sha("1"), digest("a"), "2026-03-01T12:30:00Z"));
      await world.intents();
    });

    it("waits for an approval, publishing nothing but the decision", async () => {
      // Act: verified in staging; production has no soak time and asks for manual approval
      const result = await world.run(
        deploymentVerified("evt-3", "staging", sha("1"), digest("a"), "2026-03-01T12:50:00Z"),
      );

      // Assert
      expect(result.decisions).toMatchObject([
        {
          environment: "production",
          outcome: "awaiting-approval",
          reason: `production asks for manual approval: run 'shipline approve shop production ${digest("a")}'`,
        },
      ]);
      expect(await world.intents()).toEqual([]);
      expect(await world.state.pending("shop", "production")).toMatchObject([
        { digest: digest("a"), status: "awaiting-approval" },
      ]);
    });

    it("promotes an approved image by a commit and stops waiting", async () => {
      // Arrange
      await world.run(deploymentVerified("evt-3", "staging", sha("1"), digest("a"), "2026-03-01T12:50:00Z"));

      // Act
      const result = await world.run(promotionApproved("approval-1", "production", sha("1"), digest("a")));

      // Assert
      expect(result.decisions.map((d) => [d.environment, d.outcome, d.mode])).toEqual([
        ["production", "promoted", "commit"],
      ]);
      expect(await world.intents()).toMatchObject([
        { intentId: "approval-1/production", environment: "production" },
      ]);
      expect(await world.state.pending("shop", "production")).toEqual([]);
    });

    it("sends one write intent when the same approval arrives twice or is given twice", async () => {
      // Arrange
      await world.run(deploymentVerified("evt-3", "staging", sha("1"), digest("a"), "2026-03-01T12:50:00Z"));
      const approval = promotionApproved("approval-1", "production", sha("1"), digest("a"));

      // Act
      const first = await world.run(approval);
      const redelivered = await world.run(approval);
      const givenAgain = await world.run(
        promotionApproved("approval-2", "production", sha("1"), digest("a")),
      );

      // Assert
      expect(first.decisions.map((d) => d.outcome)).toEqual(["promoted"]);
      expect(redelivered.duplicate).toBe(true);
      expect(givenAgain.decisions.map((d) => [d.outcome, d.skip])).toEqual([["skipped", "already-deployed"]]);
      expect(await world.intents()).toHaveLength(1);
    });

    it("refuses an approval of an image never verified upstream", async () => {
      // Arrange: approved by the scan gate and verified in dev, but never in staging
      await world.run(imageApproved("evt-4", sha("2"), digest("b"), "1.1.0-2222222"));
      await world.intents();

      // Act
      const result = await world.run(promotionApproved("approval-1", "production", sha("2"), digest("b")));

      // Assert
      expect(result.decisions).toMatchObject([
        {
          outcome: "skipped",
          skip: "not-approved-upstream",
          reason:
            "alice approved 1.1.0-2222222 for production, but it was never verified in staging; promote it there first",
        },
      ]);
      expect(await world.intents()).toEqual([]);
    });

    it("refuses an approval of an image the scan gate never approved", async () => {
      // Act
      const result = await world.run(promotionApproved("approval-1", "dev", sha("2"), digest("e")));

      // Assert
      expect(result.decisions).toMatchObject([{ outcome: "skipped", skip: "not-approved-upstream" }]);
      expect(await world.intents()).toEqual([]);
    });
  });
});
