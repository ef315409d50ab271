/**
 * Port that answers questions about the history of an app's source repository, so that promotion
 * never moves an environment back to an older commit. Implemented with git (the CLI or
 * isomorphic-git) against the repository the app is built from.
 *
 * Implementations throw a permanent `COMMIT_NOT_FOUND` ShiplineError when a commit is not in the
 * repository (history rewritten, or a repository that cannot be read), and a retryable error when
 * the repository could not be reached.
 *
 * @example
 * ```ts
 * if (await ancestry.isAncestor("https://github.com/acme/shop.git", candidate, deployed)) {
 *   // candidate is older history than what runs: never promote it
 * }
 * const when = await ancestry.commitTime("local:shop", candidate);
 * ```
 */
export interface CommitAncestry {
  /**
   * True when `ancestor` is reachable from `descendant` by following parents (a commit is not
   * treated as its own ancestor).
   */
  isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean>;
  /** The committer time of a commit. */
  commitTime(repo: string, commit: string): Promise<Date>;
}

/** The code of the error a {@link CommitAncestry} throws for a commit its repository lacks. */
export const COMMIT_NOT_FOUND = "COMMIT_NOT_FOUND";
