import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import type { AcceptedEntry } from "./put-events-entry.js";

/** Where and when an event is put, for its envelope. */
export interface EnvelopeContext {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  /** When the bus received the entry; the envelope time unless the entry set `Time`. */
  readonly receivedAt: Date;
}

/**
 * Builds the envelope EventBridge delivers for an accepted entry: version "0", the bus's id,
 * account and region, the entry's time (or the receipt time) in whole seconds, and the parsed
 * detail.
 *
 * @example
 * ```ts
 * const event = buildEnvelope(accepted, { id: randomUUID(), account, region, receivedAt: new Date() });
 * ```
 */
export function buildEnvelope(entry: AcceptedEntry, context: EnvelopeContext): EventEnvelope {
  return {
    version: "0",
    id: context.id,
    "detail-type": entry.detailType,
    source: entry.source,
    account: context.account,
    time: toEventTime(entry.time ?? context.receivedAt),
    region: context.region,
    resources: [...entry.resources],
    detail: entry.detail,
  };
}

/**
 * Formats a time as EventBridge does in envelopes: ISO 8601 UTC without milliseconds.
 *
 * @example
 * ```ts
 * toEventTime(new Date("2026-01-01T10:00:00.123Z")); // "2026-01-01T10:00:00Z"
 * ```
 */
export function toEventTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, "Z");
}
