import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IsomorphicChangedPaths } from "../../../../functions/adapters/git/changed-paths-isomorphic.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type { ChangedPathsRequest } from "../../../../functions/core/ports/changed-paths-source.js";
import { LocalGitServer } from "../../../../functions/local/git-server/local-git-server.js";

/** A work tree of a monorepo that pushes to a bare repository. */
function workTree(dir: string, bare: string) {
  const run = (args: string[]) =>
    execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
      cwd: dir,
      env: { ...process.env, LC_ALL: "C" },
      encoding: "utf8",
    }).trim();
  run(["init", "--quiet", "--initial-branch=main"]);
  return {
    async write(files: Record<string, string>): Promise<void> {
      for (const [file, text] of Object.entries(files)) {
        await mkdir(dirname(join(dir, file)), { recursive: true });
        await writeFile(join(dir, file), text);
      }
    },
    async chmod(file: string, mode: number): Promise<void> {
      await chmod(join(dir, file), mode);
    },
    commit(message: string, ...removed: string[]): string {
      if (removed.length > 0) run(["rm", "--quiet", ...removed]);
      run(["add", "--all"]);
      run(["commit", "--quiet", "--allow-empty", "-m", message]);
      return run(["rev-parse", "HEAD"]);
    },
    push(): void {
      run(["push", "--quiet", "--force", bare, "main"]);
    },
    reset(commit: string): void {
      run(["reset", "--quiet", "--hard", commit]);
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

describe("IsomorphicChangedPaths", () => {
  let dir: string;
  let server: LocalGitServer;
  let tree: ReturnType<typeof workTree>;
  let source: IsomorphicChangedPaths;
  let url: string;

  const request = (base: string, head: string, commitCount?: number): ChangedPathsRequest => ({
    provider: "bitbucket",
    repository: { name: "monorepo", fullName: "acme/monorepo", url },
    ref: "refs/heads/main",
    base,
    head,
    ...(commitCount === undefined ? {} : { commitCount }),
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-changed-paths-"));
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
    const repository = await server.createRepository("monorepo", { defaultBranch: "main" });
    url = server.cloneUrl("monorepo");
    await mkdir(join(dir, "work"));
    tree = workTree(join(dir, "work"), repository.gitDir);
    source = new IsomorphicChangedPaths({ workDir: join(dir, "lookups") });
    await tree.write({
      "README.md": "monorepo\n",
      "services/api/main.ts": "api\n",
      "services/web/index.ts": "web\n",
      "libs/log/index.ts": "log\n",
    });
  });

  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the paths added, modified and removed between the two commits over smart HTTP", async () => {
    // Arrange
    const base = tree.commit("first");
    await tree.write({ "services/web/index.ts": "web 2\n" });
    tree.commit("web");
    await tree.write({ "libs/metrics/index.ts": "metrics\n" });
    const head = tree.commit("metrics", "README.md");
    tree.push();

    // Act
    const paths = await source.changedPaths(request(base, head, 2));

    // Assert
    expect([...paths].sort()).toEqual(["README.md", "libs/metrics/index.ts", "services/web/index.ts"]);
  });

  it("deepens the fetch until it reaches the base when the push does not say how many commits it brought", async () => {
    // Arrange
    const base = tree.commit("first");
    for (const round of [1, 2, 3, 4, 5, 6]) {
      await tree.write({ [`services/api/v${round}.ts`]: `${round}\n` });
      tree.commit(`round ${round}`);
    }
    const head = tree.commit("last");
    tree.push();

    // Act
    const paths = await source.changedPaths(request(base, head));

    // Assert
    expect(paths).toHaveLength(6);
    expect(paths.every((path) => path.startsWith("services/api/"))).toBe(true);
  });

  it("counts a file whose mode changed, and leaves no repository behind", async () => {
    // Arrange
    const base = tree.commit("first");
    await tree.chmod("services/api/main.ts", 0o755);
    const head = tree.commit("executable");
    tree.push();

    // Act
    const paths = await source.changedPaths(request(base, head, 1));

    // Assert
    expect(paths).toEqual(["services/api/main.ts"]);
    expect(await readdir(join(dir, "lookups"))).toEqual([]);
  });

  it("refuses, permanently, a base the branch no longer reaches after a force push", async () => {
    // Arrange
    const first = tree.commit("first");
    const abandoned = tree.commit("abandoned");
    tree.push();
    tree.reset(first);
    const head = tree.commit("rewritten");
    tree.push();
    const small = new IsomorphicChangedPaths({ workDir: join(dir, "lookups"), maxDepth: 8 });

    // Act
    const error = await rejectionOf(small.changedPaths(request(abandoned, head, 1)));

    // Assert
    expect([error.code, error.retryable]).toEqual(["CHANGED_PATHS_UNAVAILABLE", false]);
    expect(error.message).toContain("are not both within 8 commits of branch 'main'");
  });

  it("reports a repository it cannot fetch as retryable, without credentials from its address", async () => {
    // Arrange
    const head = tree.commit("first");
    const missing = `${server.cloneUrl("missing").replace("http://", "http://user:s3cr3t@")}?token=s3cr3t`;

    // Act
    const error = await rejectionOf(
      source.changedPaths({
        ...request(head, head),
        repository: { name: "missing", fullName: "missing", url: missing },
      }),
    );

    // Assert
    expect([error.code, error.retryable]).toEqual(["CHANGED_PATHS_UNAVAILABLE", true]);
    expect(error.message).not.toContain("s3cr3t");
    expect(JSON.stringify(error.data)).not.toContain("s3cr3t");
  });
});
