import { ShiplineError } from "../errors/shipline-error.js";
import { COMMIT_NOT_FOUND, type CommitAncestry } from "../ports/commit-ancestry.js";

/** A commit with its committer time when known. */
export interface DatedCommit {
  readonly commit: string;
  /** ISO time. */
  readonly commitTime?: string;
}

/** Options of {@link checkDowngrade}. */
export interface CheckDowngradeOptions {
  /** The image's source commit. */
  readonly candidate: DatedCommit;
  /** The commit the environment runs (or was last asked to run); none: anything goes. */
  readonly current?: DatedCommit;
  /** The app's source repository, as the config names it. */
  readonly repo: string;
  readonly ancestry: CommitAncestry;
}

/**
 * Tells whether promoting `candidate` over `current` would move the environment back in history.
 * History decides first: a candidate that descends from the current commit moves forward whatever
 * its committer time says (a rebase that kept old dates, a skewed clock), and one that is an
 * ancestor of it moves back. Commits on diverged lines are told apart by committer time: an older
 * one is a downgrade. Returns the reason in words, or undefined when it is not a downgrade. The
 * same commit (a rebuilt image) is not a downgrade. When the repository does not know one of the
 * commits (`COMMIT_NOT_FOUND`, e.g. rewritten history), the commit times alone decide; any other
 * error of the port is thrown.
 *
 * @example
 * ```ts
 * const why = await checkDowngrade({ candidate, current: state.deployed, repo: app.source.repo, ancestry });
 * if (why) skip("would-downgrade", why);
 * ```
 */
export async function checkDowngrade(options: CheckDowngradeOptions): Promise<string | undefined> {
  const { candidate, current } = options;
  if (current === undefined || candidate.commit === current.commit) return undefined;
  const short = (sha: string) => sha.slice(0, 7);
  try {
    if (await options.ancestry.isAncestor(options.repo, current.commit, candidate.commit)) return undefined;
    if (await options.ancestry.isAncestor(options.repo, candidate.commit, current.commit)) {
      return `commit ${short(candidate.commit)} is an ancestor of ${short(current.commit)}`;
    }
  } catch (error) {
    if (!(error instanceof ShiplineError && error.code === COMMIT_NOT_FOUND)) throw error;
  }
  if (
    candidate.commitTime !== undefined &&
    current.commitTime !== undefined &&
    Date.parse(candidate.commitTime) < Date.parse(current.commitTime)
  ) {
    return `commit ${short(candidate.commit)} (${candidate.commitTime}) is older than ${short(current.commit)} (${current.commitTime})`;
  }
  return undefined;
}
