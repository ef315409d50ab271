import * as z from "zod";
import type { LedgerReader } from "../../../core/ledger/ledger-reader.js";
import type { JourneyFact } from "./approval-watch.js";
import { followArchive } from "./follow-archive.js";
import { pause } from "./pause.js";

/**
 * Where the facts of a journey come from while a command waits: calls `onFact` with every event
 * that follows the event `after`, until the signal aborts.
 */
export type JourneyFacts = (options: {
  readonly after: string;
  readonly signal: AbortSignal;
  readonly onFact: (fact: JourneyFact) => void;
}) => Promise<void>;

const detailObject = z.record(z.string(), z.unknown());

/**
 * The facts of the local bus's archive (`<data-dir>/bus/archive.jsonl`), followed like `shipline
 * events --follow`: the events archived after the event `after`.
 *
 * @example
 * ```ts
 * await archiveFacts(busLayout(dataDir).archive)({ after: eventId, signal, onFact });
 * ```
 */
export function archiveFacts(path: string, pollMs?: number): JourneyFacts {
  return async ({ after, signal, onFact }) => {
    let started = false;
    await followArchive({
      path,
      signal,
      ...(pollMs === undefined ? {} : { pollMs }),
      onRecord: ({ event }) => {
        if (!started) {
          started = event.id === after;
          return;
        }
        const detail = detailObject.safeParse(event.detail);
        if (detail.success) onFact(factOf(detail.data, event["detail-type"], event.id));
      },
    });
  };
}

/**
 * The facts the ledger records for one journey (on AWS, the DynamoDB ledger the ledger step
 * writes), read every `pollMs`: the hops recorded after the hop of the event `after`, each once.
 *
 * @example
 * ```ts
 * await ledgerFacts({ reader, app, commit })({ after: eventId, signal, onFact });
 * ```
 */
export function ledgerFacts(options: {
  readonly reader: LedgerReader;
  readonly app: string;
  readonly commit: string;
  /** @default 5000 */
  readonly pollMs?: number;
}): JourneyFacts {
  return async ({ after, signal, onFact }) => {
    const seen = new Set<string>();
    while (!signal.aborted) {
      const hops = await options.reader.journey(options.app, options.commit);
      const start = hops.findIndex((hop) => hop.eventId === after);
      if (start !== -1) {
        for (const hop of hops.slice(start + 1)) {
          if (seen.has(hop.eventId)) continue;
          seen.add(hop.eventId);
          onFact(factOf(hop, hop.detailType, hop.eventId));
        }
      }
      if (!(await pause(options.pollMs ?? 5000, signal))) return;
    }
  };
}

/** The fact an event or hop states: the fields {@link JourneyFact} knows, strings only. */
function factOf(source: Readonly<Record<string, unknown>>, detailType: string, eventId: string): JourneyFact {
  const string = (key: string) => {
    const value = source[key];
    return typeof value === "string" ? value : undefined;
  };
  const orNull = (key: string) => (source[key] === null ? null : string(key));
  return {
    detailType,
    eventId,
    app: orNull("app"),
    commit: orNull("commit"),
    environment: string("environment"),
    digest: string("digest"),
    tag: string("tag"),
    reason: string("reason"),
    kind: string("kind"),
    step: string("step"),
    url: string("url"),
    command: string("command"),
    configCommit: string("configCommit"),
    failedEventId: string("failedEventId"),
  };
}
