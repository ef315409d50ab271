import { describe, expect, it } from "vitest";
import { commitPushedDetail } from "../../../../functions/core/contracts/events/commit-pushed.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { normaliseCodeCommitEvent } from "../../../../functions/core/webhook/normalise-code-commit-event.js";
import { sharedFixture } from "./webhook-test-kit.js";

const SAMPLE = JSON.parse(
  sharedFixture(
    "aws/codecommit-repository-state-change.reference-updated-push.captured-third-party.json",
  ).toString("utf8"),
);

function withDetail(change: Record<string, unknown>): unknown {
  return { ...SAMPLE, detail: { ...SAMPLE.detail, ...change } };
}

describe("normaliseCodeCommitEvent", () => {
  it("normalises the referenceUpdated sample into a Commit Pushed whose paths are unknown", () => {
    // Arrange
    const event = SAMPLE;

    // Act
    const result = normaliseCodeCommitEvent(event);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.deliveryKey).toBe("codecommit:3f7101d2-f1c4-d0a4-6d89-69fc887cc5e4");
    expect(result.details).toEqual([
      {
        schemaVersion: 1,
        app: null,
        commit: "f485fcc95a795517f279d0a877227e51208b0dfc",
        correlationId: "codecommit:3f7101d2-f1c4-d0a4-6d89-69fc887cc5e4",
        provider: "codecommit",
        repository: {
          name: "some-repo",
          fullName: "some-repo",
          url: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/some-repo",
        },
        ref: "refs/heads/main",
        refType: "branch",
        refName: "main",
        before: "a399698fbd740af9c78fb2dd7f667656b70646b6",
        after: "f485fcc95a795517f279d0a877227e51208b0dfc",
        forced: false,
        commits: [],
        commitsTruncated: false,
        pathsKnown: false,
        pusher: { name: "arn:aws:iam::111111111111:user/admin" },
        deliveryId: "3f7101d2-f1c4-d0a4-6d89-69fc887cc5e4",
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
      deliveryId: "3f7101d2-f1c4-d0a4-6d89-69fc887cc5e4",
      deliveryKey: "codecommit:3f7101d2-f1c4-d0a4-6d89-69fc887cc5e4",
      reason: "branch 'main' of CodeCommit repository some-repo was deleted; nothing to build",
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
