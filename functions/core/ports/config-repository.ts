/** One commit of the config repository, as the writer needs it. */
export interface ConfigCommitInfo {
  /** Its sha. */
  readonly oid: string;
  /** Its parents' shas (empty for a root commit). */
  readonly parents: readonly string[];
  /** Its full message (subject, body, trailers). */
  readonly message: string;
  /** Its author, when the repository tells (a person's change is recorded under this name). */
  readonly author?: { readonly name: string; readonly email: string };
}

/** A file to write in a commit. */
export interface ConfigFileWrite {
  /** Path relative to the repository root, with `/`. */
  readonly path: string;
  /** The whole new text (UTF-8). */
  readonly content: string;
}

/** A commit's author and committer. */
export interface CommitIdentity {
  readonly name: string;
  readonly email: string;
}

/** Options of {@link ConfigRepository.commitFiles}. */
export interface CommitFilesOptions {
  /** The commit the new one goes on top of (the head {@link ConfigRepository.sync} returned). */
  readonly parent: string;
  /** The files to write; every other file stays as in `parent`. */
  readonly files: readonly ConfigFileWrite[];
  readonly message: string;
  /** Author and committer. */
  readonly author: CommitIdentity;
  /** Author and commit time. */
  readonly time: Date;
}

/** What became of a push. */
export type PushOutcome =
  | { readonly status: "pushed" }
  /** The branch moved meanwhile (non-fast-forward, or the ref update failed): fetch and apply again. */
  | { readonly status: "rejected"; readonly reason: string }
  /**
   * The host declined the update itself (a hook, a branch protection, permissions), in its own
   * words: trying again changes nothing.
   */
  | { readonly status: "refused"; readonly reason: string };

/**
 * Port for the config repository's branch as the config writer uses it: a local copy that is
 * brought up to date with {@link sync}, read at any commit, extended by commits built without a
 * working tree, and pushed. An isomorphic-git adapter implements it (shallow clone, kept warm
 * between invocations). Transport and authentication failures are retryable ShiplineErrors;
 * a rejected push is an answer, not an error.
 *
 * @example
 * ```ts
 * const head = await repo.sync();
 * const text = await repo.readFile({ path: "envs/dev/values.yaml", commit: head });
 * const commit = await repo.commitFiles({ parent: head, files: [{ path, content }], message, author, time: clock.now() });
 * const outcome = await repo.push(commit);
 * // or, for review: await repo.pushBranch({ commit, branch: "shipline/production/demo" });
 * ```
 */
export interface ConfigRepository {
  /** The repository as events name it (`configRepo`), e.g. `local:demo-config` or an https URL. */
  readonly name: string;
  /** The branch written to. */
  readonly branch: string;
  /** Fetches what is new on the branch and resolves with its head sha. */
  sync(): Promise<string>;
  /** The text of a file at a commit, or `undefined` when the commit has no such file. */
  readFile(options: { readonly path: string; readonly commit: string }): Promise<string | undefined>;
  /** Reads one commit, fetching older history when it is not local yet; `CONFIG_COMMIT_NOT_FOUND` (permanent) when the branch never had it. */
  readCommit(oid: string): Promise<ConfigCommitInfo>;
  /** Up to `limit` commits from `from` back along first parents, newest first, as far as local history goes (no fetch). */
  recentCommits(options: { readonly from: string; readonly limit: number }): Promise<ConfigCommitInfo[]>;
  /** Writes the blobs, the trees on their paths and the commit; resolves with the new commit's sha (not pushed yet). */
  commitFiles(options: CommitFilesOptions): Promise<string>;
  /** Pushes a commit built by {@link commitFiles} to the branch. */
  push(commit: string): Promise<PushOutcome>;
  /**
   * Force-pushes a commit built by {@link commitFiles} to another branch of the repository (the
   * side branch of a pull request), creating it or replacing whatever it held. `rejected` when the
   * branch moved between reading and updating it, or the host refused the update.
   */
  pushBranch(options: { readonly commit: string; readonly branch: string }): Promise<PushOutcome>;
}
