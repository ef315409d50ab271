import { describe, expect, it } from "vitest";
import type { CommitPushed } from "../../../../functions/core/contracts/events/commit-pushed.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import {
  CHANGED_PATHS_UNAVAILABLE,
  type ChangedPathsRequest,
  type ChangedPathsSource,
} from "../../../../functions/core/ports/changed-paths-source.js";
import { withRepositoryPaths } from "../../../../functions/core/webhook/with-repository-paths.js";

const REPOSITORY = "git-codecommit.eu-west-1.amazonaws.com/v1/repos/shop";
const BEFORE = "e".repeat(40);
const AFTER = "f".repeat(40);

/** A source that answers fixed paths, or fails, and records what it was asked. */
class FixedSource implements ChangedPathsSource {
  readonly requests: ChangedPathsRequest[] = [];

  constructor(private readonly answer: readonly string[] | Error) {}

  async changedPaths(request: ChangedPathsRequest): Promise<readonly string[]> {
    this.requests.push(request);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

/** A CodeCommit branch update as `normaliseCodeCommitEvent` publishes it: no commits, no paths. */
function codeCommitPush(overrides: Partial<CommitPushed> = {}): CommitPushed {
  return {
    schemaVersion: 1,
    app: null,
    commit: AFTER,
    correlationId: "codecommit:52d69995-7fc9-495d-83c8-834dfdd239e1",
    provider: "codecommit",
    repository: { name: "shop", fullName: "shop", url: `https://${REPOSITORY}` },
    ref: "refs/heads/main",
    refType: "branch",
    refName: "main",
    before: BEFORE,
    after: AFTER,
    forced: false,
    commits: [],
    commitsTruncated: false,
    pathsKnown: false,
    pusher: { name: "arn:aws:iam::123456789012:user/dev" },
    deliveryId: "52d69995-7fc9-495d-83c8-834dfdd239e1",
    ...overrides,
  };
}

describe("withRepositoryPaths", () => {
  it("carries the paths read between the branch's previous and pushed commits", async () => {
    // Arrange
    const source = new FixedSource(["services/api/main.ts", "README.md"]);
    const push = codeCommitPush();

    // Act
    const detail = await withRepositoryPaths({ push, source, repositories: [REPOSITORY] });

    // Assert
    expect(detail).toEqual({ ...push, repositoryPaths: { paths: ["services/api/main.ts", "README.md"] } });
    expect(source.requests).toEqual([
      {
        provider: "codecommit",
        repository: push.repository,
        ref: "refs/heads/main",
        base: BEFORE,
        head: AFTER,
        commitCount: 0,
      },
    ]);
  });

  it.each([
    [
      "a repository no app filters by path",
      codeCommitPush(),
      ["git-codecommit.eu-west-1.amazonaws.com/v1/repos/other"],
    ],
    ["a new branch", codeCommitPush({ before: "0".repeat(40) }), [REPOSITORY]],
    ["a tag", codeCommitPush({ ref: "refs/tags/v1.0.0", refType: "tag", refName: "v1.0.0" }), [REPOSITORY]],
    ["a push that lists its paths", codeCommitPush({ pathsKnown: true }), [REPOSITORY]],
  ])("reads nothing for %s", async (_case, push, repositories) => {
    // Arrange
    const source = new FixedSource(["services/api/main.ts"]);

    // Act
    const detail = await withRepositoryPaths({ push, source, repositories });

    // Assert
    expect(detail).toBe(push);
    expect(source.requests).toEqual([]);
  });

  it("carries why the paths could not be read instead of throwing", async () => {
    // Arrange
    const source = new FixedSource(
      new ShiplineError({
        code: CHANGED_PATHS_UNAVAILABLE,
        message:
          "The changed paths of CodeCommit repository shop could not be read: GetDifferences failed with ThrottlingException",
        retryable: true,
      }),
    );

    // Act
    const detail = await withRepositoryPaths({ push: codeCommitPush(), source, repositories: [REPOSITORY] });

    // Assert
    expect(detail.repositoryPaths).toEqual({
      unreadable:
        "CHANGED_PATHS_UNAVAILABLE: The changed paths of CodeCommit repository shop could not be read: GetDifferences failed with ThrottlingException",
    });
  });

  it("says the paths are too many when their list would not fit in the event", async () => {
    // Arrange
    const paths = Array.from({ length: 4_000 }, (_, index) => `services/api/src/generated/file-${index}.ts`);
    const source = new FixedSource(paths);

    // Act
    const detail = await withRepositoryPaths({ push: codeCommitPush(), source, repositories: [REPOSITORY] });

    // Assert
    expect(detail.repositoryPaths).toEqual({
      unreadable: "the push changed 4000 paths, too many to list in Commit Pushed",
    });
  });
});
