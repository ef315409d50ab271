import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IsomorphicCommitAncestry } from "../../../../functions/adapters/git/commit-ancestry-isomorphic.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { LocalGitServer } from "../../../../functions/local/git-server/local-git-server.js";

/** A work tree that pushes to a bare repository, with commits made at fixed dates. */
function workTree(dir: string, bare: string) {
  const run = (args: string[], date = "2026-03-01T10:00:00Z") =>
    execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, LC_ALL: "C" },
      encoding: "utf8",
    }).trim();
  run(["init", "--quiet", "--initial-branch=main"]);
  return {
    commit(message: string, date: string): string {
      run(["commit", "--quiet", "--allow-empty", "-m", message], date);
      return run(["rev-parse", "HEAD"]);
    },
    branch(name: string, from: string): void {
      run(["checkout", "--quiet", "-b", name, from]);
    },
    push(): void {
      run(["push", "--quiet", "--all", bare]);
    },
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<ShiplineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError, but the promise resolved");
}

describe("IsomorphicCommitAncestry", () => {
  let dir: string;
  let server: LocalGitServer;
  let tree: ReturnType<typeof workTree>;
  let ancestry: IsomorphicCommitAncestry;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-iso-ancestry-"));
    server = new LocalGitServer({
      rootDir: join(dir, "repos"),
      anonymousRead: true,
      tokenVerifier: {
        verifyRepositoryToken: async () => {
          throw new ShiplineError({ code: "TOKEN_INVALID", message: "no tokens in this test" });
        },
      },
    });
    await server.start();
    const repository = await server.createRepository("shop", { defaultBranch: "main" });
    await mkdir(join(dir, "work"));
    tree = workTree(join(dir, "work"), repository.gitDir);
    ancestry = new IsomorphicCommitAncestry({
      cacheDir: join(dir, "cache"),
      resolve: (name) => server.cloneUrl(name.replace(/^local:/, "")),
    });
  });

  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("fetches over smart HTTP and tells an ancestor from a commit on another branch", async () => {
    // Arrange
    const first = tree.commit("first", "2026-03-01T10:00:00Z");
    const second = tree.commit("second", "2026-03-01T11:00:00Z");
    tree.branch("topic", first);
    const topic = tree.commit("topic", "2026-03-01T12:00:00Z");
    tree.push();

    // Act
    const answers = [
      await ancestry.isAncestor("local:shop", first, second),
      await ancestry.isAncestor("local:shop", second, first),
      await ancestry.isAncestor("local:shop", second, topic),
      await ancestry.isAncestor("local:shop", second, second),
    ];

    // Assert
    expect(answers).toEqual([true, false, false, false]);
    expect((await ancestry.commitTime("local:shop", topic)).toISOString()).toBe("2026-03-01T12:00:00.000Z");
  });

  it("fetches again for a commit pushed later, and reports an unknown one as COMMIT_NOT_FOUND", async () => {
    // Arrange
    const first = tree.commit("first", "2026-03-01T10:00:00Z");
    tree.push();
    await ancestry.commitTime("local:shop", first);
    const later = tree.commit("later", "2026-03-01T11:00:00Z");
    tree.push();

    // Act
    const answer = await ancestry.isAncestor("local:shop", first, later);
    const error = await rejectionOf(ancestry.commitTime("local:shop", "e".repeat(40)));

    // Assert
    expect(answer).toBe(true);
    expect([error.code, error.retryable]).toEqual(["COMMIT_NOT_FOUND", false]);
  });

  it("reports a repository it cannot fetch as retryable, without quoting its address", async () => {
    // Arrange
    const url = server.cloneUrl("missing");

    // Act
    const error = await rejectionOf(ancestry.commitTime("local:missing", "a".repeat(40)));

    // Assert
    expect([error.code, error.retryable]).toEqual(["GIT_FETCH_FAILED", true]);
    expect(error.message).not.toContain(url);
    expect(error.message).toContain("Fetching local:missing to read its history failed (HttpError)");
  });

  it("reads a private repository with the credentials named for it", async () => {
    // Arrange: a second server that reads nothing without a token for 'shop'.
    const privateServer = new LocalGitServer({
      rootDir: join(dir, "repos"),
      tokenVerifier: {
        verifyRepositoryToken: async (token) => {
          if (token !== "t-shop")
            throw new ShiplineError({ code: "TOKEN_INVALID", message: "unknown token" });
          return {
            repository: "shop",
            permissions: ["read"],
            subject: "promote",
            expiresAt: new Date(Date.now() + 60_000),
            tokenId: "t-1",
          };
        },
      },
    });
    await privateServer.start();
    const first = tree.commit("first", "2026-03-01T10:00:00Z");
    tree.push();
    const asked: string[] = [];
    const withCredentials = new IsomorphicCommitAncestry({
      cacheDir: join(dir, "private-cache"),
      resolve: (name) => privateServer.cloneUrl(name.replace(/^local:/, "")),
      onAuthFor: (repo) => {
        asked.push(repo);
        return () => ({ username: "x-access-token", password: "t-shop" });
      },
    });

    try {
      // Act
      const time = await withCredentials.commitTime("local:shop", first);

      // Assert
      expect(time.toISOString()).toBe("2026-03-01T10:00:00.000Z");
      expect(asked).toContain("local:shop");
    } finally {
      await privateServer.stop();
    }
  });

  it("lists the branches whose head is a commit or holds it, fetching again as branches move", async () => {
    // Arrange
    const first = tree.commit("first", "2026-03-01T10:00:00Z");
    const second = tree.commit("second", "2026-03-01T11:00:00Z");
    tree.branch("feature/login", first);
    const feature = tree.commit("feature", "2026-03-01T12:00:00Z");
    tree.push();
    const before = await ancestry.branchesContaining("local:shop", feature);
    tree.branch("release/1.4", feature);
    tree.push();

    // Act
    const ofFirst = await ancestry.branchesContaining("local:shop", first);
    const ofSecond = await ancestry.branchesContaining("local:shop", second);
    const ofFeature = await ancestry.branchesContaining("local:shop", feature);

    // Assert
    expect(before).toEqual(["feature/login"]);
    expect(ofFirst).toEqual(["feature/login", "main", "release/1.4"]);
    expect(ofSecond).toEqual(["main"]);
    expect(ofFeature).toEqual(["feature/login", "release/1.4"]);
  });
});
