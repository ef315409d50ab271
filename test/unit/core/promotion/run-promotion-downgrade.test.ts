import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createWorld,
  deploymentVerified,
  digest,
  imageApproved,
  type PromotionWorld,
  promotionApproved,
  sha,
} from "./promotion-test-kit.js";

describe("runPromotion: never downgrade", () => {
  let world: PromotionWorld;

  beforeEach(async () => {
    world = await createWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it("refuses an image whose commit is older than the one an environment runs", async () => {
    // Arrange: two unrelated commits, 2 newer than 1; the image of 2 is already in dev and qa
    world.history.add(sha("1"), "2026-03-01T10:00:00Z").add(sha("2"), "2026-03-01T11:00:00Z");
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));
    await world.intents();

    // Act: the older image's scan finishes late
    const result = await world.run(imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111"));

    // Assert
    expect(result.decisions.map((d) => [d.environment, d.outcome, d.skip])).toEqual([
      ["dev", "skipped", "would-downgrade"],
      ["qa", "skipped", "would-downgrade"],
    ]);
    expect(result.decisions[0]?.reason).toBe(
      "1.0.0-1111111 would downgrade dev: commit 1111111 (2026-03-01T10:00:00.000Z) is older than 2222222 (2026-03-01T11:00:00.000Z)",
    );
    expect(await world.intents()).toEqual([]);
    expect(
      world.published
        .filter((request) => request.detailType === "Promotion Refused")
        .map((request) => [
          "environment" in request.detail ? request.detail.environment : "",
          "refusal" in request.detail ? request.detail.refusal : "",
        ]),
    ).toEqual([
      ["dev", "would-downgrade"],
      ["qa", "would-downgrade"],
    ]);
  });

  it("refuses an image whose commit is an ancestor of the running one, whatever the commit times say", async () => {
    // Arrange: 3 descends from 1, but carries an earlier committer time (a rebase, a skewed clock)
    world.history.add(sha("1"), "2026-03-01T11:00:00Z").add(sha("3"), "2026-03-01T10:00:00Z", sha("1"));
    await world.run(imageApproved("evt-3", sha("3"), digest("c"), "1.2.0-3333333"));
    await world.intents();

    // Act
    const result = await world.run(imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111"));

    // Assert
    expect(result.decisions).toMatchObject([
      {
        environment: "dev",
        skip: "would-downgrade",
        reason: "1.0.0-1111111 would downgrade dev: commit 1111111 is an ancestor of 3333333",
      },
      { environment: "qa", skip: "would-downgrade" },
    ]);
    expect(await world.intents()).toEqual([]);
  });

  it("promotes an image whose commit descends from the running one, though its committer time is earlier", async () => {
    // Arrange: 3 descends from 1 with an earlier committer time (a rebase that kept the dates)
    world.history.add(sha("1"), "2026-03-01T11:00:00Z").add(sha("3"), "2026-03-01T10:00:00Z", sha("1"));
    await world.run(imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111"));
    await world.intents();

    // Act
    const result = await world.run(imageApproved("evt-3", sha("3"), digest("c"), "1.2.0-3333333"));

    // Assert
    expect(result.decisions.map((d) => [d.environment, d.outcome])).toEqual([
      ["dev", "promoted"],
      ["qa", "promoted"],
    ]);
    expect((await world.intents()).map((intent) => intent.image.digest)).toEqual([digest("c"), digest("c")]);
  });

  it("promotes a newer commit on another branch, and a rebuilt image of the same commit", async () => {
    // Arrange: 2 and 4 both descend from 1; 4 is newer and not a descendant of 2
    world.history
      .add(sha("1"), "2026-03-01T10:00:00Z")
      .add(sha("2"), "2026-03-01T11:00:00Z", sha("1"))
      .add(sha("4"), "2026-03-01T11:30:00Z", sha("1"));
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));

    // Act
    const branch = await world.run(imageApproved("evt-4", sha("4"), digest("d"), "1.1.0-4444444"));
    const rebuilt = await world.run(imageApproved("evt-5", sha("4"), digest("e"), "1.1.0-4444444-r2"));

    // Assert
    expect(branch.decisions.map((d) => d.outcome)).toEqual(["promoted", "promoted"]);
    expect(rebuilt.decisions.map((d) => d.outcome)).toEqual(["promoted", "promoted"]);
  });

  it("refuses an approval that would take an environment back", async () => {
    // Arrange: c (commit 3) verified in staging and approved into production; b (commit 2) verified in staging too
    world.clock.set("2026-03-01T13:00:00Z");
    world.history
      .add(sha("1"), "2026-03-01T10:00:00Z")
      .add(sha("2"), "2026-03-01T11:00:00Z", sha("1"))
      .add(sha("3"), "2026-03-01T11:30:00Z", sha("2"));
    for (const [id, commit, image] of [
      ["b", sha("2"), digest("b")],
      ["c", sha("3"), digest("c")],
    ] as const) {
      await world.run(imageApproved(`evt-${id}`, commit, image, `tag-${id}`));
      await world.run(deploymentVerified(`staging-${id}`, "staging", commit, image, "2026-03-01T12:30:00Z"));
    }
    await world.run(promotionApproved("approval-c", "production", sha("3"), digest("c")));
    await world.intents();

    // Act
    const result = await world.run(promotionApproved("approval-b", "production", sha("2"), digest("b")));

    // Assert
    expect(result.decisions).toMatchObject([
      { environment: "production", outcome: "skipped", skip: "would-downgrade" },
    ]);
    expect(await world.intents()).toEqual([]);
  });

  it("promotes an image whose commit the repository does not know, since neither time nor ancestry shows a downgrade", async () => {
    // Arrange: commit 2 is known, commit 1 is not (rewritten history)
    world.history.add(sha("2"), "2026-03-01T11:00:00Z");
    await world.run(imageApproved("evt-2", sha("2"), digest("b"), "1.1.0-2222222"));

    // Act
    const result = await world.run(imageApproved("evt-1", sha("1"), digest("a"), "1.0.0-1111111"));

    // Assert
    expect(await world.state.image("shop", digest("a"))).not.toHaveProperty("commitTime");
    expect(result.decisions.map((d) => d.outcome)).toEqual(["promoted", "promoted"]);
  });
});
