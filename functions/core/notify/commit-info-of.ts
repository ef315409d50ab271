import { DetailType } from "../contracts/detail-type.js";
import type { LedgerHop } from "../ledger/ledger-hop.js";
import type { CommitAuthor, CommitInfo, ProposalRecord } from "./journey-lookup.js";

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
 * the latest complete image tag (a build's template such as `{version}-0123456` is not one), the
 * latest build log and the pull requests the image was proposed in (`Pull Request Opened` hops,
 * oldest first). `undefined` when none of these is known.
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
  const proposals = ordered.flatMap(proposalOf);
  const info: CommitInfo = {
    ...(pushed?.message === undefined ? {} : { message: pushed.message }),
    ...(pushed?.author === undefined ? {} : { author: pushed.author }),
    ...(pushed?.repositoryUrl === undefined ? {} : { repositoryUrl: pushed.repositoryUrl }),
    ...(tag === undefined ? {} : { tag }),
    ...(options.previousTag === undefined || options.previousTag === tag
      ? {}
      : { previousTag: options.previousTag }),
    ...(buildLogUrl === undefined ? {} : { buildLogUrl }),
    ...(proposals.length === 0 ? {} : { proposals }),
  };
  return Object.keys(info).length === 0 ? undefined : info;
}

/** The pull request a hop proposed the image in, if it is a `Pull Request Opened` hop. */
function proposalOf(hop: LedgerHop): ProposalRecord[] {
  const { environment, url, digest } = hop;
  if (hop.detailType !== DetailType.PullRequestOpened) return [];
  if (environment === undefined || url === undefined || digest === undefined) return [];
  return [{ environment, url, digest, eventId: hop.eventId, at: hop.at }];
}
