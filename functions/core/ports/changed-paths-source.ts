import type { CommitPushed } from "../contracts/events/commit-pushed.js";

/** What {@link ChangedPathsSource.changedPaths} is asked: the paths that differ between two commits. */
export interface ChangedPathsRequest {
  /** The host of the repository (`codecommit` is read through its API, others with git). */
  readonly provider: CommitPushed["provider"];
  /** The repository as `Commit Pushed` names it; `url` is its clone URL. */
  readonly repository: CommitPushed["repository"];
  /** The branch pushed, e.g. `refs/heads/main`: a git host is fetched from it. */
  readonly ref: string;
  /** The commit the branch pointed at before the push. */
  readonly base: string;
  /** The commit pushed. */
  readonly head: string;
  /** How many commits the push brought, when known: a hint for how deep to fetch. */
  readonly commitCount?: number;
}

/**
 * Port through which Shipline learns the paths a push changed when the push does not list them
 * (Bitbucket, CodeCommit, a truncated or forced push): on AWS the webhook reads a CodeCommit push's
 * with `GetDifferences`, and `start-build` fetches the two commits shallowly from any other git host.
 * It returns every path added, modified, deleted or renamed (both names) between `base` and `head`,
 * once each.
 *
 * Implementations throw a coded ShiplineError when the paths cannot be told (the repository cannot be
 * read, a commit is not on the branch any more); `start-build` then builds every app of the branch
 * and says why, rather than miss a build. Credentials reach git only through `onAuth`.
 *
 * @example
 * ```ts
 * const paths = await source.changedPaths({ provider: "bitbucket", repository, ref: "refs/heads/main", base, head });
 * ```
 */
export interface ChangedPathsSource {
  /** The paths that differ between `base` and `head`. */
  changedPaths(request: ChangedPathsRequest): Promise<readonly string[]>;
}

/** The code of the error a {@link ChangedPathsSource} throws when it cannot tell the paths. */
export const CHANGED_PATHS_UNAVAILABLE = "CHANGED_PATHS_UNAVAILABLE";
