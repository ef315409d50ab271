import { describe, expect, it } from "vitest";
import { resolveChangedPaths } from "../../../../functions/core/build/resolve-changed-paths.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import {
  CHANGED_PATHS_UNAVAILABLE,
  type ChangedPathsRequest,
  type ChangedPathsSource,
} from "../../../../functions/core/ports/changed-paths-source.js";
import { appConfig, pushOf, SHA } from "./build-test-kit.js";

const BEFORE = "737d38c599c1b2991664dfc6155d6bf516fcce36";

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

const monorepo = {
  apps: [
    appConfig("api", { source: { paths: ["services/api/**"] } }),
    appConfig("web", { source: { paths: ["services/web/**"] } }),
  ],
};

/** A push that lists commits but not their paths (Bitbucket, CodeCommit). */
function unlistedPush(overrides: Parameters<typeof pushOf>[1] = {}) {
  return pushOf({}, { provider: "bitbucket", pathsKnown: false, ...overrides });
}

describe("resolveChangedPaths", () => {
  it("keeps the paths a push lists without reading the repository", async () => {
    // Arrange
    const source = new FixedSource(["services/web/index.ts"]);
    const push = pushOf({ modified: ["services/api/main.ts"] });

    // Act
    const changed = await resolveChangedPaths({ push, config: monorepo, source });

    // Assert
    expect(changed).toEqual({ known: true, paths: ["services/api/main.ts"] });
    expect(source.requests).toEqual([]);
  });

  it("reads the paths between the branch's previous and pushed commits from the repository", async () => {
    // Arrange
    const source = new FixedSource(["services/web/index.ts"]);
    const push = unlistedPush();

    // Act
    const changed = await resolveChangedPaths({ push, config: monorepo, source });

    // Assert
    expect(changed).toEqual({ known: true, paths: ["services/web/index.ts"], origin: "repository" });
    expect(source.requests).toEqual([
      {
        provider: "bitbucket",
        repository: push.repository,
        ref: "refs/heads/main",
        base: BEFORE,
        head: SHA,
        commitCount: 1,
      },
    ]);
  });

  it("does not read the repository when no app of the branch filters by path", async () => {
    // Arrange
    const source = new FixedSource([]);
    const config = {
      apps: [appConfig("api"), appConfig("web", { source: { branch: "release/*", paths: ["web/**"] } })],
    };

    // Act
    const changed = await resolveChangedPaths({ push: unlistedPush(), config, source });

    // Assert
    expect(changed).toEqual({ known: false, why: "bitbucket does not list the changed paths" });
    expect(source.requests).toEqual([]);
  });

  it("says a new branch has no earlier commit to compare with", async () => {
    // Arrange
    const source = new FixedSource([]);
    const push = unlistedPush({ before: "0".repeat(40) });

    // Act
    const changed = await resolveChangedPaths({ push, config: monorepo, source });

    // Assert
    expect(changed).toEqual({
      known: false,
      why: "branch 'main' is new, so it has no earlier commit to compare with",
    });
    expect(source.requests).toEqual([]);
  });

  it("says why when the repository cannot be read, so that every app builds", async () => {
    // Arrange
    const source = new FixedSource(
      new ShiplineError({
        code: CHANGED_PATHS_UNAVAILABLE,
        message: "fetching https://bitbucket.org/acme/monorepo.git failed (HttpError)",
        retryable: true,
      }),
    );

    // Act
    const changed = await resolveChangedPaths({ push: unlistedPush(), config: monorepo, source });

    // Assert
    expect(changed).toEqual({
      known: false,
      why: "bitbucket does not list the changed paths, and reading them from the repository failed (CHANGED_PATHS_UNAVAILABLE: fetching https://bitbucket.org/acme/monorepo.git failed (HttpError))",
    });
  });

  it("takes the paths the webhook read and the push carries, without reading the repository again", async () => {
    // Arrange
    const source = new FixedSource(["services/web/index.ts"]);
    const push = unlistedPush({
      provider: "codecommit",
      repositoryPaths: { paths: ["services/api/main.ts"] },
    });

    // Act
    const changed = await resolveChangedPaths({ push, config: monorepo, source });

    // Assert
    expect(changed).toEqual({ known: true, paths: ["services/api/main.ts"], origin: "repository" });
    expect(source.requests).toEqual([]);
  });

  it("says why when the webhook could not read the paths the push would carry", async () => {
    // Arrange
    const push = unlistedPush({
      provider: "codecommit",
      repositoryPaths: {
        unreadable: "CHANGED_PATHS_UNAVAILABLE: GetDifferences failed with ThrottlingException",
      },
    });

    // Act
    const changed = await resolveChangedPaths({ push, config: monorepo });

    // Assert
    expect(changed).toEqual({
      known: false,
      why: "codecommit does not list the changed paths, and reading them from the repository failed (CHANGED_PATHS_UNAVAILABLE: GetDifferences failed with ThrottlingException)",
    });
  });

  it("reads nothing for a tag, which builds nothing", async () => {
    // Arrange
    const source = new FixedSource([]);
    const push = unlistedPush({ ref: "refs/tags/v1.0.0", refType: "tag", refName: "v1.0.0" });

    // Act
    await resolveChangedPaths({ push, config: monorepo, source });

    // Assert
    expect(source.requests).toEqual([]);
  });
});
