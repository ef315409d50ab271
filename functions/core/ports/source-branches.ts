/**
 * Port that tells which branches of an app's source repository hold a commit, so that an app's
 * acceptance policy (`accept.branches`) can refuse an image built from any other branch. Implemented
 * with git (the CLI or isomorphic-git) against the repository the app is built from, fetched fresh
 * for each question, since a branch moves with every push.
 *
 * Implementations throw a permanent `COMMIT_NOT_FOUND` ShiplineError (see `commit-ancestry.ts`) when
 * the repository has no such commit, and a retryable error when it could not be reached.
 *
 * @example
 * ```ts
 * const branches = await source.branchesContaining("https://github.com/acme/shop.git", commit);
 * // ["main", "release/1.4"]: the commit is the head of each, or in its history
 * ```
 */
export interface SourceBranches {
  /** The branches whose head is `commit` or has it in its history (short names, e.g. `release/1.4`). */
  branchesContaining(repo: string, commit: string): Promise<readonly string[]>;
}
