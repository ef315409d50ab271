import { describe, expect, it } from "vitest";
import type { CommitPushed } from "../../../../functions/core/contracts/events/commit-pushed.js";
import { fitCommitPushed } from "../../../../functions/core/webhook/fit-commit-pushed.js";

function push(commits: number, pathsPerCommit = 1): CommitPushed {
  return {
    schemaVersion: 1,
    app: null,
    commit: "f".repeat(40),
    correlationId: "github:delivery-1",
    provider: "github",
    repository: {
      name: "app",
      fullName: "shipline-demo/app",
      url: "https://github.com/shipline-demo/app.git",
    },
    ref: "refs/heads/main",
    refType: "branch",
    refName: "main",
    before: "e".repeat(40),
    after: "f".repeat(40),
    forced: false,
    commits: Array.from({ length: commits }, (_, index) => ({
      id: index.toString(16).padStart(40, "0"),
      message: `Change ${index}: ${"words ".repeat(60)}`,
      added: [],
      modified: Array.from({ length: pathsPerCommit }, (__, path) => `src/${index}/file-${path}.ts`),
      removed: [],
    })),
    commitsTruncated: false,
    pathsKnown: true,
    pusher: { name: "dev" },
    deliveryId: "delivery-1",
  };
}

describe("fitCommitPushed", () => {
  it("keeps a detail that fits as it is", () => {
    // Arrange
    const small = push(3);

    // Act
    const fitted = fitCommitPushed(small);

    // Assert
    expect(fitted).toBe(small);
  });

  it("keeps the newest commits and every changed path when the commits do not fit", () => {
    // Arrange
    const large = push(2000);

    // Act
    const fitted = fitCommitPushed(large, 64 * 1024);

    // Assert
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(64 * 1024);
    expect(fitted.commits.at(-1)?.id).toBe(large.commits.at(-1)?.id);
    expect(fitted.commitsOmitted).toBe(2000 - fitted.commits.length);
    expect(fitted.changedPaths).toHaveLength(2000);
    expect(fitted.pathsKnown).toBe(true);
  });

  it("says the paths are too many to list when even they do not fit", () => {
    // Arrange
    const huge = push(200, 200);

    // Act
    const fitted = fitCommitPushed(huge);

    // Assert
    expect(fitted.changedPaths).toBeUndefined();
    expect(fitted.pathsKnown).toBe(false);
    expect(fitted.commits.length).toBeGreaterThan(0);
  });
});
