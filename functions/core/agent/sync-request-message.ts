import { DetailType, SHIPLINE_SOURCE } from "../contracts/detail-type.js";
import { eventEnvelope } from "../contracts/event-envelope.js";
import type { SyncRequested } from "../contracts/events/sync-requested.js";
import { formatIssues } from "../contracts/format-issues.js";
import { parseDetail } from "../contracts/parse-detail.js";
import { ShiplineError } from "../errors/shipline-error.js";

/** A `Sync Requested` as it arrives on a cluster's queue. */
export interface SyncRequestMessage {
  /** The event's id (duplicates of one event share it). */
  readonly eventId: string;
  /** When the request was published. */
  readonly requestedAt: Date;
  readonly request: SyncRequested;
}

/**
 * Parses the body of a cluster queue's message: the whole EventBridge event the cluster-queue rule
 * delivered, whose detail must follow the `Sync Requested` contract. Throws a permanent
 * `SYNC_REQUEST_INVALID` naming what is wrong (such a message can never be handled).
 *
 * @example
 * ```ts
 * const { request, requestedAt } = parseSyncRequestMessage(message.body);
 * ```
 */
export function parseSyncRequestMessage(body: string): SyncRequestMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw invalid("the body is not JSON", {});
  }
  const envelope = eventEnvelope.safeParse(raw);
  if (!envelope.success) {
    throw invalid(
      `the body is not an EventBridge event (${formatIssues(envelope.error.issues).join("; ")})`,
      {},
    );
  }
  const event = envelope.data;
  if (event.source !== SHIPLINE_SOURCE || event["detail-type"] !== DetailType.SyncRequested) {
    throw invalid(`it is a '${event["detail-type"]}' event from '${event.source}'`, { eventId: event.id });
  }
  let request: SyncRequested;
  try {
    request = parseDetail(DetailType.SyncRequested, event.detail);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error), { eventId: event.id });
  }
  const time = Date.parse(event.time);
  return { eventId: event.id, requestedAt: new Date(Number.isNaN(time) ? 0 : time), request };
}

function invalid(reason: string, data: Record<string, unknown>): ShiplineError {
  return new ShiplineError({
    code: "SYNC_REQUEST_INVALID",
    message: `A message on the cluster queue is not a Sync Requested event: ${reason}; only the cluster-queue rule should send to this queue`,
    data,
    retryable: false,
  });
}
