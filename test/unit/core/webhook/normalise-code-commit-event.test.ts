import { describe, expect, it } from "vitest";
import * as z from "zod";
import { commitPushedDetail } from "../../../../functions/core/contracts/events/commit-pushed.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { normaliseCodeCommitEvent } from "../../../../functions/core/webhook/normalise-code-commit-event.js";
import { readFixture } from "../../../read-fixture.js";

const SAMPLE = z
  .object({ detail: z.record(z.string(), z.unknown()) })
  .loose()
  .parse(readFixture("aws/codecommit-repository-state-change.reference-updated.json"));

function withDetail(change: Record<string, unknown>): unknown {
  return { ...SAMPLE, detail: { ...SAMPLE.detail, ...change } };
}

describe("normaliseCodeCommitEvent", () => {
  it("normalises a referenceUpdated event into a Commit Pushed whose paths are unknown", () => {
    // Arrange
    const event = SAMPLE;

    // Act
    const result = normaliseCodeCommitEvent(event);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.deliveryKey).toBe("codecommit:52d69995-7fc9-495d-83c8-834dfdd239e1");
    expect(result.details).toEqual([
      {
        schemaVersion: 1,
        app: null,
        commit: "8fa8088ce4a74b6efe061fc090f9095b2dc82ce9",
        correlationId: "codecommit:52d69995-7fc9-495d-83c8-834dfdd239e1",
        provider: "codecommit",
        repository: {
          name: "shipline-demo-app",
          fullName: "shipline-demo-app",
          url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/shipline-demo-app",
        },
        ref: "refs/heads/main",
        refType: "branch",
        refName: "main",
        before: "5ac881ac62cd87c327667c5d5b2eeb70c0c8e61e",
        after: "8fa8088ce4a74b6efe061fc090f9095b2dc82ce9",
        forced: false,
        commits: [],
        commitsTruncated: false,
        pathsKnown: false,
        pusher: { name: "arn:aws:iam::123456789012:user/ada" },
        deliveryId: "52d69995-7fc9-495d-83c8-834dfdd239e1",
      },
    ]);
    expect(commitPushedDetail.safeParse(result.details[0]).success).toBe(true);
  });

  it("normalises a created branch with an all-zero before", () => {
    // Arrange
    const event = withDetail({
      event: "referenceCreated",
      oldCommitId: undefined,
      referenceName: "feature",
      referenceFullName: "refs/heads/feature",
    });

    // Act
    const result = normaliseCodeCommitEvent(event);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({
      refName: "feature",
      before: "0".repeat(40),
      pathsKnown: false,
    });
  });

  it("normalises a tag", () => {
    // Arrange
    const event = withDetail({
      event: "referenceCreated",
      referenceType: "tag",
      referenceName: "v1.0.0",
      referenceFullName: "refs/tags/v1.0.0",
      oldCommitId: undefined,
    });

    // Act
    const result = normaliseCodeCommitEvent(event);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({ refType: "tag", refName: "v1.0.0" });
  });

  it("ignores a deleted reference with the reason", () => {
    // Arrange
    const event = withDetail({ event: "referenceDeleted", commitId: undefined });

    // Act
    const result = normaliseCodeCommitEvent(event);

    // Assert
    expect(result).toEqual({
      kind: "ignored",
      provider: "codecommit",
      deliveryId: "52d69995-7fc9-495d-83c8-834dfdd239e1",
      deliveryKey: "codecommit:52d69995-7fc9-495d-83c8-834dfdd239e1",
      reason: "branch 'main' of CodeCommit repository shipline-demo-app was deleted; nothing to build",
    });
  });

  it("throws a permanent EVENT_INVALID error for an event of another source", () => {
    // Arrange
    const event = { ...SAMPLE, source: "aws.codebuild" };

    // Act
    const run = () => normaliseCodeCommitEvent(event);

    // Assert
    expect(run).toThrow(ShiplineError);
    expect(run).toThrow(expect.objectContaining({ code: "EVENT_INVALID", retryable: false }));
  });

  it("throws EVENT_INVALID naming the field when an updated reference has no commit id", () => {
    // Arrange
    const event = withDetail({ commitId: undefined });

    // Act
    const run = () => normaliseCodeCommitEvent(event);

    // Assert
    expect(run).toThrow(expect.objectContaining({ code: "EVENT_INVALID" }));
    expect(run).toThrow(/has no detail\.commitId/);
  });

  it("throws EVENT_INVALID when the commit id is not a git sha", () => {
    // Arrange
    const event = withDetail({ commitId: "HEAD" });

    // Act
    const run = () => normaliseCodeCommitEvent(event);

    // Assert
    expect(run).toThrow(expect.objectContaining({ code: "EVENT_INVALID" }));
    expect(run).toThrow(/after: expected a 40 or 64 character/);
  });
});
