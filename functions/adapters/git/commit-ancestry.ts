import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { COMMIT_NOT_FOUND, type CommitAncestry } from "../../core/ports/commit-ancestry.js";
import type { SourceBranches } from "../../core/ports/source-branches.js";

/** Options of {@link GitCommitAncestry}. */
export interface GitCommitAncestryOptions {
  /** Directory of the bare clones, one per repository; created when missing. */
  readonly cacheDir: string;
  /**
   * Turns a repository as the config names it into what git fetches from: a URL or a directory.
   * The local runtime maps `local:<name>` to its git server's URL here.
   *
   * @default - the name itself
   */
  readonly resolve?: (repo: string) => string;
  /**
   * How long a fetch may take before it is stopped and fails (retryable), so that a host that
   * stalls does not hold the step that asked without end.
   *
   * @default 120000
   */
  readonly fetchTimeoutMs?: number;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The {@link CommitAncestry} with the git CLI: each repository is fetched into a bare clone under
 * `cacheDir` (all branches and tags), fetched again when a commit is not there yet, and asked with
 * `git merge-base --is-ancestor` and `git log -1 --format=%cI`; the branches holding a commit are
 * read after a fresh fetch (`git for-each-ref --contains`), since branches move with every push. A
 * commit still missing after a fetch is a permanent `COMMIT_NOT_FOUND`; a failed fetch is a retryable `GIT_FETCH_FAILED`. The
 * repository's URL never appears in an error (it may carry credentials).
 *
 * @example
 * ```ts
 * const ancestry = new GitCommitAncestry({ cacheDir: ".shipline/git-cache", resolve: (repo) => localGitUrl(repo) });
 * await ancestry.isAncestor("local:demo", older, newer); // true
 * ```
 */
export class GitCommitAncestry implements CommitAncestry, SourceBranches {
  readonly #options: GitCommitAncestryOptions;
  readonly #fetches = new Map<string, Promise<void>>();

  constructor(options: GitCommitAncestryOptions) {
    this.#options = options;
  }

  /** True when `ancestor` is a proper ancestor of `descendant`. */
  async isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
    if (ancestor === descendant) {
      await this.#haveCommit(repo, ancestor);
      return false;
    }
    const gitDir = await this.#haveCommit(repo, ancestor);
    await this.#haveCommit(repo, descendant);
    const { exitCode } = await git(["merge-base", "--is-ancestor", ancestor, descendant], gitDir, [0, 1]);
    return exitCode === 0;
  }

  /** The committer time of the commit. */
  async commitTime(repo: string, commit: string): Promise<Date> {
    const gitDir = await this.#haveCommit(repo, commit);
    const { stdout } = await git(["log", "-1", "--format=%cI", commit], gitDir);
    return new Date(stdout.trim());
  }

  /** The branches whose head is the commit or has it in its history, after a fresh fetch. */
  async branchesContaining(repo: string, commit: string): Promise<readonly string[]> {
    if (!SHA.test(commit)) throw notFound(repo, commit, "it is not a full lower-case hex sha");
    const gitDir = this.#gitDirOf(repo);
    await this.#fetch(repo, gitDir);
    if (!(await hasCommit(gitDir, commit)))
      throw notFound(repo, commit, "it is on no branch or tag of the repository");
    const { stdout } = await git(
      ["for-each-ref", "--contains", commit, "--format=%(refname:short)", "refs/heads/"],
      gitDir,
    );
    return stdout.split("\n").filter((line) => line.length > 0);
  }

  #gitDirOf(repo: string): string {
    return path.join(this.#options.cacheDir, createHash("sha256").update(repo).digest("hex").slice(0, 32));
  }

  /** Makes sure the bare clone has the commit; resolves with the clone's directory. */
  async #haveCommit(repo: string, commit: string): Promise<string> {
    if (!SHA.test(commit)) throw notFound(repo, commit, "it is not a full lower-case hex sha");
    const gitDir = path.join(
      this.#options.cacheDir,
      createHash("sha256").update(repo).digest("hex").slice(0, 32),
    );
    if (await hasCommit(gitDir, commit)) return gitDir;
    await this.#fetch(repo, gitDir);
    if (await hasCommit(gitDir, commit)) return gitDir;
    throw notFound(repo, commit, "it is on no branch or tag of the repository");
  }

  /** Fetches every branch and tag; concurrent callers share one fetch. */
  async #fetch(repo: string, gitDir: string): Promise<void> {
    const running = this.#fetches.get(gitDir);
    if (running !== undefined) return running;
    const timeoutMs = this.#options.fetchTimeoutMs ?? 120_000;
    const fetching = (async () => {
      if (!(await exists(gitDir))) {
        await mkdir(gitDir, { recursive: true });
        await git(["init", "--bare", "--quiet", gitDir], undefined);
      }
      const source = this.#options.resolve?.(repo) ?? repo;
      try {
        await git(
          [
            "fetch",
            "--quiet",
            "--force",
            "--",
            source,
            "+refs/heads/*:refs/heads/*",
            "+refs/tags/*:refs/tags/*",
          ],
          gitDir,
          [0],
          timeoutMs,
        );
      } catch (error) {
        // git's own message may quote the URL, and a URL may carry credentials: keep only the exit code.
        const data = error instanceof ShiplineError ? error.data : {};
        const why =
          data.timedOut === true
            ? `the host did not answer within ${timeoutMs / 1000}s`
            : `git exit code ${String(data.exitCode)}`;
        throw new ShiplineError({
          code: "GIT_FETCH_FAILED",
          message: `Fetching ${repo} to read its history failed (${why}); check that the repository exists and can be read (the call is retried)`,
          data: { repo, exitCode: data.exitCode },
          retryable: true,
        });
      }
    })();
    this.#fetches.set(gitDir, fetching);
    try {
      await fetching;
    } finally {
      this.#fetches.delete(gitDir);
    }
  }
}

function notFound(repo: string, commit: string, why: string): ShiplineError {
  return new ShiplineError({
    code: COMMIT_NOT_FOUND,
    message: `Commit ${commit} is not in ${repo}: ${why}`,
    data: { repo, commit },
    retryable: false,
  });
}

async function hasCommit(gitDir: string, commit: string): Promise<boolean> {
  if (!(await exists(gitDir))) return false;
  const { exitCode } = await git(["cat-file", "-e", `${commit}^{commit}`], gitDir, [0, 1, 128]);
  return exitCode === 0;
}

async function exists(directory: string): Promise<boolean> {
  try {
    return (await stat(directory)).isDirectory();
  } catch {
    return false;
  }
}

function git(
  args: readonly string[],
  gitDir: string | undefined,
  okExitCodes: readonly number[] = [0],
  timeoutMs?: number,
): Promise<{ readonly stdout: string; readonly exitCode: number }> {
  const fullArgs = gitDir === undefined ? [...args] : [`--git-dir=${gitDir}`, ...args];
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      fullArgs,
      {
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
        maxBuffer: 1024 * 1024,
        ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
      },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        if (okExitCodes.includes(exitCode)) {
          resolve({ stdout, exitCode });
          return;
        }
        reject(
          new ShiplineError({
            code: "GIT_COMMAND_FAILED",
            message: `git ${args[0] ?? ""} failed with exit code ${exitCode}: ${stderr.trim().slice(0, 500)}`,
            data: { command: args[0], exitCode, timedOut: error?.killed === true },
            retryable: true,
            cause: error ?? undefined,
          }),
        );
      },
    );
  });
}
