import fs from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { AuthCallback, HttpClient, TreeEntry } from "isomorphic-git";
import * as git from "isomorphic-git";
import nodeHttp from "isomorphic-git/http/node";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import {
  CHANGED_PATHS_UNAVAILABLE,
  type ChangedPathsRequest,
  type ChangedPathsSource,
} from "../../core/ports/changed-paths-source.js";

/** Options of {@link IsomorphicChangedPaths}. */
export interface IsomorphicChangedPathsOptions {
  /** Where each lookup fetches into a bare repository of its own, removed afterwards; created when missing. */
  readonly workDir: string;
  /** Turns the repository's URL as the push names it into the URL to fetch. @default - the URL itself */
  readonly resolve?: (url: string) => string;
  /** Credentials for a private repository, by its URL; tokens reach git only through it. @default - none */
  readonly onAuthFor?: (url: string) => AuthCallback | undefined;
  /** How many commits of the branch are fetched at most to reach the base. @default 512 */
  readonly maxDepth?: number;
  /** isomorphic-git's HTTP client. @default - isomorphic-git/http/node */
  readonly http?: HttpClient;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The {@link ChangedPathsSource} of any git host over smart HTTP, with isomorphic-git (the Lambda
 * runtime has no git CLI): a shallow fetch of the pushed branch, just deep enough to hold both commits
 * (the push's commit count plus one, deepened fourfold up to `maxDepth`), into a bare repository of
 * its own that is removed afterwards; then the two commits' trees are compared, skipping every subtree
 * whose object id is the same. A path whose kind or mode changed counts as changed.
 *
 * Errors are `CHANGED_PATHS_UNAVAILABLE`: retryable when the fetch failed (its message keeps git's
 * error code only, never the URL, which may carry credentials), permanent when a commit is not on the
 * branch within `maxDepth` commits (a force push moved it away, the branch moved on).
 *
 * @example
 * ```ts
 * const source = new IsomorphicChangedPaths({ workDir: "/tmp/shipline-changed-paths" });
 * await source.changedPaths({ provider: "bitbucket", repository, ref: "refs/heads/main", base, head, commitCount: 3 });
 * ```
 */
export class IsomorphicChangedPaths implements ChangedPathsSource {
  readonly #options: IsomorphicChangedPathsOptions;

  constructor(options: IsomorphicChangedPathsOptions) {
    this.#options = options;
  }

  /** The paths that differ between `base` and `head`. */
  async changedPaths(request: ChangedPathsRequest): Promise<readonly string[]> {
    const { repository, base, head } = request;
    for (const commit of [base, head]) {
      if (!SHA.test(commit)) throw unavailable(repository.url, `'${commit}' is not a full commit id`, false);
    }
    const branch = request.ref.replace(/^refs\/heads\//, "");
    await mkdir(this.#options.workDir, { recursive: true });
    const gitdir = await mkdtemp(path.join(this.#options.workDir, "changed-"));
    try {
      await git.init({ fs, gitdir, bare: true });
      await this.#fetchBoth(request, gitdir, branch);
      const paths = new Set<string>();
      await compareTrees(gitdir, base, head, "", paths);
      return [...paths];
    } finally {
      await rm(gitdir, { recursive: true, force: true });
    }
  }

  async #fetchBoth(request: ChangedPathsRequest, gitdir: string, branch: string): Promise<void> {
    const maxDepth = this.#options.maxDepth ?? 512;
    const url = this.#options.resolve?.(request.repository.url) ?? request.repository.url;
    const onAuth = this.#options.onAuthFor?.(request.repository.url);
    await git.addRemote({ fs, gitdir, remote: "origin", url, force: true });
    let depth = Math.min(Math.max((request.commitCount ?? 1) + 1, 2), maxDepth);
    for (;;) {
      try {
        await git.fetch({
          fs,
          http: this.#options.http ?? nodeHttp,
          gitdir,
          remote: "origin",
          ref: branch,
          singleBranch: true,
          tags: false,
          depth,
          ...(onAuth === undefined ? {} : { onAuth }),
        });
      } catch (error) {
        // isomorphic-git's messages may quote the URL, and a URL may carry credentials: keep the code only.
        const code = error instanceof Error && "code" in error ? String(error.code) : "unknown";
        throw unavailable(request.repository.url, `fetching branch '${branch}' failed (${code})`, true, code);
      }
      if ((await hasCommit(gitdir, request.head)) && (await hasCommit(gitdir, request.base))) return;
      if (depth >= maxDepth) {
        throw unavailable(
          request.repository.url,
          `commits ${request.base.slice(0, 7)} and ${request.head.slice(0, 7)} are not both within ${maxDepth} commits of branch '${branch}' (it was force-pushed or has moved on)`,
          false,
        );
      }
      depth = Math.min(depth * 4, maxDepth);
    }
  }
}

async function hasCommit(gitdir: string, oid: string): Promise<boolean> {
  try {
    await git.readCommit({ fs, gitdir, oid });
    return true;
  } catch {
    return false;
  }
}

async function entriesOf(gitdir: string, oid: string | undefined): Promise<Map<string, TreeEntry>> {
  if (oid === undefined) return new Map();
  const { tree } = await git.readTree({ fs, gitdir, oid });
  return new Map(tree.map((entry) => [entry.path, entry]));
}

/** Adds to `paths` every path under `prefix` that differs between the trees `before` and `after`. */
async function compareTrees(
  gitdir: string,
  before: string | undefined,
  after: string | undefined,
  prefix: string,
  paths: Set<string>,
): Promise<void> {
  const [old, now] = await Promise.all([entriesOf(gitdir, before), entriesOf(gitdir, after)]);
  for (const name of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(name);
    const is = now.get(name);
    if (was !== undefined && is !== undefined && was.oid === is.oid && was.mode === is.mode) continue;
    const full = `${prefix}${name}`;
    const wasTree = was?.type === "tree";
    const isTree = is?.type === "tree";
    if (wasTree || isTree) {
      await compareTrees(
        gitdir,
        wasTree ? was?.oid : undefined,
        isTree ? is?.oid : undefined,
        `${full}/`,
        paths,
      );
    }
    if ((was !== undefined && !wasTree) || (is !== undefined && !isTree)) paths.add(full);
  }
}

function unavailable(url: string, why: string, retryable: boolean, gitError?: string): ShiplineError {
  const where = safeUrl(url);
  return new ShiplineError({
    code: CHANGED_PATHS_UNAVAILABLE,
    message: `The changed paths of ${where} could not be read: ${why}`,
    data: { repository: where, ...(gitError === undefined ? {} : { gitError }) },
    retryable,
  });
}

/** The URL without anything that could be a credential (user info, query). */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "the repository";
  }
}
