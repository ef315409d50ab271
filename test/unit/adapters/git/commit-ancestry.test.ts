import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitCommitAncestry } from "../../../../functions/adapters/git/commit-ancestry.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

/** A work tree where commits are made with fixed dates. */
function makeRepo(dir: string) {
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

describe("GitCommitAncestry", () => {
  let dir: string;
  let source: string;
  let repo: ReturnType<typeof makeRepo>;
  let ancestry: GitCommitAncestry;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-ancestry-"));
    source = join(dir, "source");
    await mkdir(source);
    repo = makeRepo(source);
    ancestry = new GitCommitAncestry({
      cacheDir: join(dir, "cache"),
      resolve: (name) => (name === "local:shop" ? source : name),
    });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("tells an ancestor from a commit on another branch", async () => {
    // Arrange
    const first = repo.commit("first", "2026-03-01T10:00:00Z");
    const second = repo.commit("second", "2026-03-01T11:00:00Z");
    repo.branch("topic", first);
    const topic = repo.commit("topic", "2026-03-01T12:00:00Z");

    // Act
    const answers = await Promise.all([
      ancestry.isAncestor("local:shop", first, second),
      ancestry.isAncestor("local:shop", second, first),
      ancestry.isAncestor("local:shop", second, topic),
      ancestry.isAncestor("local:shop", second, second),
    ]);

    // Assert
    expect(answers).toEqual([true, false, false, false]);
  });

  it("reads a commit's committer time", async () => {
    // Arrange
    const commit = repo.commit("first", "2026-03-01T10:30:00Z");

    // Act
    const time = await ancestry.commitTime("local:shop", commit);

    // Assert
    expect(time.toISOString()).toBe("2026-03-01T10:30:00.000Z");
  });

  it("fetches again for a commit pushed after the first fetch", async () => {
    // Arrange
    const first = repo.commit("first", "2026-03-01T10:00:00Z");
    await ancestry.commitTime("local:shop", first);
    const later = repo.commit("later", "2026-03-01T11:00:00Z");

    // Act
    const answer = await ancestry.isAncestor("local:shop", first, later);

    // Assert
    expect(answer).toBe(true);
  });

  it("reports a commit the repository lacks as COMMIT_NOT_FOUND, permanently", async () => {
    // Arrange
    repo.commit("first", "2026-03-01T10:00:00Z");

    // Act
    const error = await rejectionOf(ancestry.commitTime("local:shop", "f".repeat(40)));

    // Assert
    expect(error.code).toBe("COMMIT_NOT_FOUND");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `Commit ${"f".repeat(40)} is not in local:shop: it is on no branch or tag of the repository`,
    );
  });

  it("stops a fetch from a host that does not answer and reports it as retryable", async () => {
    // Arrange: a host that takes the connection and never answers.
    const sockets: Socket[] = [];
    const stalling = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
    const address = stalling.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const stalled = new GitCommitAncestry({
      cacheDir: join(dir, "cache"),
      resolve: () => `http://127.0.0.1:${port}/shop.git`,
      fetchTimeoutMs: 1_000,
    });

    // Act
    const error = await rejectionOf(stalled.commitTime("remote:shop", "a".repeat(40))).finally(() => {
      for (const socket of sockets) socket.destroy();
      stalling.close();
    });

    // Assert
    expect(error).toMatchObject({ code: "GIT_FETCH_FAILED", retryable: true });
    expect(error.message).toContain("the host did not answer within 1s");
    expect(error.message).not.toContain(String(port));
  });

  it("reports a repository it cannot fetch as retryable, without quoting its address", async () => {
    // Arrange
    const missing = join(dir, "no-such-repo");
    const unreachable = new GitCommitAncestry({ cacheDir: join(dir, "cache"), resolve: () => missing });

    // Act
    const error = await rejectionOf(unreachable.commitTime("local:gone", "a".repeat(40)));

    // Assert
    expect(error.code).toBe("GIT_FETCH_FAILED");
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain(missing);
  });

  it("lists the branches whose head is a commit or holds it, fetching again as branches move", async () => {
    // Arrange
    const first = repo.commit("first", "2026-03-01T10:00:00Z");
    const second = repo.commit("second", "2026-03-01T11:00:00Z");
    repo.branch("feature/login", first);
    const feature = repo.commit("feature", "2026-03-01T12:00:00Z");
    const before = await ancestry.branchesContaining("local:shop", feature);
    repo.branch("release/1.4", feature);

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

  it("answers COMMIT_NOT_FOUND for the branches of a commit the repository lacks", async () => {
    // Arrange
    repo.commit("first", "2026-03-01T10:00:00Z");

    // Act
    const error = await rejectionOf(ancestry.branchesContaining("local:shop", "f".repeat(40)));

    // Assert
    expect(error).toMatchObject({ code: "COMMIT_NOT_FOUND", retryable: false });
  });
});
