import { DetailType } from "../../core/contracts/detail-type.js";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { parseDetail } from "../../core/contracts/parse-detail.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { ledgerEntryOf } from "../../core/ledger/ledger-entry-of.js";
import type { JourneyHop, LedgerHop } from "../../core/ledger/ledger-hop.js";
import type { PushedCommitFacts } from "../../core/notify/commit-info-of.js";

/** The journeys of a stream of events, grouped as the ledger groups them. */
export interface JourneyIndex {
  /** Each app's journeys by commit, hops in arrival order (without the push). */
  readonly journeys: ReadonlyMap<string, ReadonlyMap<string, readonly JourneyHop[]>>;
  /** The hops of each pushed commit (`Commit Pushed`), joined to every app's journey of it. */
  readonly pushes: ReadonlyMap<string, readonly LedgerHop[]>;
  /** What each push said of its head commit. */
  readonly pushed: ReadonlyMap<string, PushedCommitFacts>;
}

/**
 * Groups events into journeys the way the ledger records them (`ledgerEntryOf`): hops tied to an
 * app and commit, and push hops joined to every journey of their commit. Events the ledger does not
 * keep, or that break their contract, are left out (the page shows what it can). AWS image events,
 * which the ledger ties to a journey through its image index, are left out too: the Shipline events
 * that follow them tell the same story.
 *
 * @example
 * ```ts
 * const index = indexJourneys((await bus.archive.read()).map((record) => record.event));
 * const hops = journeyHops(index, "demo", commit);
 * ```
 */
export function indexJourneys(events: readonly EventEnvelope[]): JourneyIndex {
  const journeys = new Map<string, Map<string, JourneyHop[]>>();
  const pushes = new Map<string, LedgerHop[]>();
  const pushed = new Map<string, PushedCommitFacts>();
  for (const event of events) {
    const entry = entryOf(event);
    if (entry === undefined || entry.kind !== "entry") continue;
    const { subject, hop } = entry;
    if (subject.kind === "journey") {
      const byCommit = journeys.get(subject.app) ?? new Map<string, JourneyHop[]>();
      journeys.set(subject.app, byCommit);
      const hops = byCommit.get(subject.commit) ?? [];
      byCommit.set(subject.commit, hops);
      hops.push({ ...hop, app: subject.app, commit: subject.commit });
    } else if (subject.kind === "push") {
      pushes.set(subject.commit, [...(pushes.get(subject.commit) ?? []), hop]);
      const facts = pushFactsOf(event);
      if (facts !== undefined && !pushed.has(subject.commit)) pushed.set(subject.commit, facts);
    }
  }
  return { journeys, pushes, pushed };
}

/**
 * Every hop of one journey, its push included (each event once).
 *
 * @example
 * ```ts
 * const journey = buildJourney({ hops: journeyHops(index, "demo", commit) });
 * ```
 */
export function journeyHops(index: JourneyIndex, app: string, commit: string): JourneyHop[] {
  const own = index.journeys.get(app)?.get(commit) ?? [];
  if (own.length === 0) return [];
  const push = (index.pushes.get(commit) ?? []).map((hop) => ({ ...hop, app, commit }));
  const byId = new Map<string, JourneyHop>();
  for (const hop of [...push, ...own]) byId.set(hop.eventId, hop);
  return [...byId.values()];
}

function entryOf(event: EventEnvelope) {
  try {
    return ledgerEntryOf(event);
  } catch (error) {
    if (error instanceof ShiplineError) return undefined;
    throw error;
  }
}

/** The pushed head commit's message, author and repository. */
function pushFactsOf(event: EventEnvelope): PushedCommitFacts | undefined {
  if (event["detail-type"] !== DetailType.CommitPushed) return undefined;
  const detail = parseDetail(DetailType.CommitPushed, event.detail);
  const head = detail.commits.find((commit) => commit.id === detail.commit) ?? detail.commits.at(-1);
  return {
    ...(head === undefined ? {} : { message: head.message }),
    ...(head?.author === undefined ? {} : { author: head.author }),
    repositoryUrl: detail.repository.url,
  };
}
