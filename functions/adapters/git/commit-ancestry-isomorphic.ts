import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AuthCallback } from "isomorphic-git";
import * as git from "isomorphic-git";
import http from "isomorphic-git/http/node";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { COMMIT_NOT_FOUND, type CommitAncestry } from "../../core/ports/commit-ancestry.js";
import type { SourceBranches } from "../../core/ports/source-branches.js";

/** Options of {@link IsomorphicCommitAncestry}. */
export interface IsomorphicCommitAncestryOptions {
  /** Directory of the bare clones, one per repository; created when missing. */
  readonly cacheDir: string;
  /**
   * Turns a repository as the config names it into the http(s) URL to fetch from.
   *
   * @default - the name itself
   */
  readonly resolve?: (repo: string) => string;
  /** Gives credentials for private repositories; tokens reach git only through it. @default - none */
  readonly onAuth?: AuthCallback;
  /**
   * The credentials of one repository (an app's `source.credentials`), tried before `onAuth`;
   * undefined: `onAuth`, or none.
   */
  readonly onAuthFor?: (repo: string) => AuthCallback | undefined;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The {@link CommitAncestry} with isomorphic-git, for places without a git CLI (the Lambda
 * runtime): each repository is fetched over http(s) into a bare clone under `cacheDir` (every
 * branch and tag), fetched again when a commit is not there yet, and asked with `isDescendent` and
 * `readCommit`; the branches holding a commit are read after a fresh fetch (every branch head that
 * is the commit or descends from it), since branches move with every push. A commit still missing after a fetch is a permanent `COMMIT_NOT_FOUND`; a failed
 * fetch is a retryable `GIT_FETCH_FAILED` whose message never quotes the URL.
 *
 * @example
 * ```ts
 * const ancestry = new IsomorphicCommitAncestry({ cacheDir: "/tmp/shipline-git", onAuth: credentials.onAuth });
 * await ancestry.isAncestor("https://github.com/acme/shop.git", older, newer); // true
 * ```
 */
export class IsomorphicCommitAncestry implements CommitAncestry, SourceBranches {
  readonly #options: IsomorphicCommitAncestryOptions;
  readonly #fetches = new Map<string, Promise<void>>();

  constructor(options: IsomorphicCommitAncestryOptions) {
    this.#options = options;
  }

  /** True when `ancestor` is a proper ancestor of `descendant`. */
  async isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
    const gitdir = await this.#haveCommit(repo, ancestor);
    await this.#haveCommit(repo, descendant);
    if (ancestor === descendant) return false;
    return git.isDescendent({ fs, gitdir, oid: descendant, ancestor, depth: -1 });
  }

  /** The committer time of the commit. */
  async commitTime(repo: string, commit: string): Promise<Date> {
    const gitdir = await this.#haveCommit(repo, commit);
    const { commit: read } = await git.readCommit({ fs, gitdir, oid: commit });
    return new Date(read.committer.timestamp * 1000);
  }

  /** The branches whose head is the commit or has it in its history, after a fresh fetch. */
  async branchesContaining(repo: string, commit: string): Promise<readonly string[]> {
    if (!SHA.test(commit)) throw notFound(repo, commit, "it is not a full lower-case hex sha");
    const gitdir = path.join(
      this.#options.cacheDir,
      createHash("sha256").update(repo).digest("hex").slice(0, 32),
    );
    await this.#fetch(repo, gitdir);
    if (!(await hasCommit(gitdir, commit)))
      throw notFound(repo, commit, "it is on no branch or tag of the repository");
    const holding: string[] = [];
    for (const branch of await git.listBranches({ fs, gitdir, remote: "origin" })) {
      if (branch === "HEAD") continue;
      const head = await git.resolveRef({ fs, gitdir, ref: `refs/remotes/origin/${branch}` });
      if (
        head === commit ||
        (await git.isDescendent({ fs, gitdir, oid: head, ancestor: commit, depth: -1 }))
      ) {
        holding.push(branch);
      }
    }
    return holding.sort();
  }

  async #haveCommit(repo: string, commit: string): Promise<string> {
    if (!SHA.test(commit)) throw notFound(repo, commit, "it is not a full lower-case hex sha");
    const gitdir = path.join(
      this.#options.cacheDir,
      createHash("sha256").update(repo).digest("hex").slice(0, 32),
    );
    if (await hasCommit(gitdir, commit)) return gitdir;
    await this.#fetch(repo, gitdir);
    if (await hasCommit(gitdir, commit)) return gitdir;
    throw notFound(repo, commit, "it is on no branch or tag of the repository");
  }

  async #fetch(repo: string, gitdir: string): Promise<void> {
    const running = this.#fetches.get(gitdir);
    if (running !== undefined) return running;
    const fetching = (async () => {
      try {
        await git.init({ fs, gitdir, bare: true });
        await git.addRemote({
          fs,
          gitdir,
          remote: "origin",
          url: this.#options.resolve?.(repo) ?? repo,
          force: true,
        });
        await git.fetch({
          fs,
          http,
          gitdir,
          remote: "origin",
          singleBranch: false,
          tags: true,
          ...authOf(this.#options, repo),
        });
      } catch (error) {
        // isomorphic-git's messages may quote the URL, and a URL may carry credentials: keep the code only.
        const code = error instanceof Error && "code" in error ? String(error.code) : "unknown";
        throw new ShiplineError({
          code: "GIT_FETCH_FAILED",
          message: `Fetching ${repo} to read its history failed (${code}); check that the repository exists and can be read (the call is retried)`,
          data: { repo, gitError: code },
          retryable: true,
        });
      }
    })();
    this.#fetches.set(gitdir, fetching);
    try {
      await fetching;
    } finally {
      this.#fetches.delete(gitdir);
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

async function hasCommit(gitdir: string, commit: string): Promise<boolean> {
  try {
    await git.readCommit({ fs, gitdir, oid: commit });
    return true;
  } catch {
    return false;
  }
}

function authOf(options: IsomorphicCommitAncestryOptions, repo: string): { onAuth?: AuthCallback } {
  const onAuth = options.onAuthFor?.(repo) ?? options.onAuth;
  return onAuth === undefined ? {} : { onAuth };
}
