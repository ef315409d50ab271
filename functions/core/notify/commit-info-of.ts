import type { LedgerHop } from "../ledger/ledger-hop.js";
import type { CommitAuthor, CommitInfo } from "./journey-lookup.js";

/** What a push said of a commit (`Commit Pushed`). */
export interface PushedCommitFacts {
  readonly message?: string;
  readonly author?: CommitAuthor;
  readonly repositoryUrl?: string;
}

/** Options of {@link commitInfoOf}. */
export interface CommitInfoOfOptions {
  /** The journey's hops, in any order. */
  readonly hops: readonly LedgerHop[];
  /** What the push said of the commit, when known. */
  readonly pushed?: PushedCommitFacts;
  /** The tag the environment ran before, when known. */
  readonly previousTag?: string;
}

/**
 * What a journey tells about its change, for `notify`: the push's message, author and repository,
 * the latest complete image tag (a build's template such as `{version}-0123456` is not one) and the
 * latest build log of the hops. `undefined` when none of these is known.
 *
 * @example
 * ```ts
 * const info = commitInfoOf({ hops: await reader.journey("demo", commit), pushed, previousTag });
 * ```
 */
export function commitInfoOf(options: CommitInfoOfOptions): CommitInfo | undefined {
  const { hops, pushed } = options;
  if (hops.length === 0 && pushed === undefined) return undefined;
  const ordered = [...hops].sort((left, right) => Date.parse(left.at) - Date.parse(right.at));
  const tag = ordered.findLast((hop) => hop.tag !== undefined && !hop.tag.includes("{"))?.tag;
  const buildLogUrl = ordered.findLast((hop) => hop.logsUrl !== undefined)?.logsUrl;
  const info: CommitInfo = {
    ...(pushed?.message === undefined ? {} : { message: pushed.message }),
    ...(pushed?.author === undefined ? {} : { author: pushed.author }),
    ...(pushed?.repositoryUrl === undefined ? {} : { repositoryUrl: pushed.repositoryUrl }),
    ...(tag === undefined ? {} : { tag }),
    ...(options.previousTag === undefined || options.previousTag === tag
      ? {}
      : { previousTag: options.previousTag }),
    ...(buildLogUrl === undefined ? {} : { buildLogUrl }),
  };
  return Object.keys(info).length === 0 ? undefined : info;
}
