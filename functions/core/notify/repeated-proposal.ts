import type { PullRequestOpened } from "../contracts/events/pull-request-opened.js";
import type { ProposalRecord } from "./journey-lookup.js";

/** Options of {@link isRepeatedProposal}. */
export interface RepeatedProposalOptions {
  /** The `Pull Request Opened` detail being notified. */
  readonly detail: PullRequestOpened;
  /** The event's id; without it the event cannot tell itself apart from the journey's record. */
  readonly eventId?: string;
  /** The event's time (ISO 8601); without it the event cannot be placed among the others. */
  readonly time?: string;
  /** The pull requests the journey recorded (`CommitInfo.proposals`), this event's own maybe among them. */
  readonly proposals?: readonly ProposalRecord[];
}

/**
 * Whether a `Pull Request Opened` event repeats news people already had: an update
 * (`updated: true`) of a pull request that an earlier event already showed proposing the same
 * image (same environment, pull request URL and digest), as when a write intent is delivered to
 * the writer again or a second intent asks for an image already under review. An opened pull
 * request is always news, and so is an update to another image. Events are ordered by time, then
 * id, so of two proposals of one image the earliest is never silenced by the other. Without the
 * event's id or time, or without the journey's record, nothing can be compared and the update is
 * told: a duplicate beats a lost message.
 *
 * @example
 * ```ts
 * const repeated = isRepeatedProposal({ detail, eventId: event.id, time: event.time, proposals: info?.proposals });
 * ```
 */
export function isRepeatedProposal(options: RepeatedProposalOptions): boolean {
  const { detail, eventId, time, proposals = [] } = options;
  if (!detail.updated || eventId === undefined || time === undefined) return false;
  const self = Date.parse(time);
  if (Number.isNaN(self)) return false;
  return proposals.some(
    (proposal) =>
      proposal.eventId !== eventId &&
      proposal.environment === detail.environment &&
      proposal.url === detail.url &&
      proposal.digest === detail.digest &&
      isEarlier(proposal, self, eventId),
  );
}

function isEarlier(proposal: ProposalRecord, self: number, eventId: string): boolean {
  const at = Date.parse(proposal.at);
  return at < self || (at === self && proposal.eventId < eventId);
}
