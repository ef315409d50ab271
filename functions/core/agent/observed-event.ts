import { DetailType, SHIPLINE_SOURCE } from "../contracts/detail-type.js";
import { eventEnvelope } from "../contracts/event-envelope.js";
import { parseDetail } from "../contracts/parse-detail.js";
import { OBSERVED_DETAIL_TYPES } from "../topology/cluster-observation-rule.js";

/** A hold or a wait of one of the cluster's environments, as the agent's metrics count it. */
export type ObservedEvent =
  | {
      readonly type: "hold-placed";
      readonly app: string;
      readonly environment: string;
      readonly placedBy: string;
    }
  | { readonly type: "hold-released"; readonly app: string; readonly environment: string }
  | {
      readonly type: "promotion-waiting";
      readonly app: string;
      readonly environment: string;
      readonly waitingFor: string;
    };

const OBSERVED: ReadonlySet<string> = new Set(OBSERVED_DETAIL_TYPES);

/**
 * Reads a cluster queue message that the observation rule delivered (`Hold Placed`, `Hold Released`,
 * `Promotion Waiting`); undefined for any other message (a sync request, or something that is no
 * event, which `parseSyncRequestMessage` then names). `placedBy` is the hold's origin: `rollback`,
 * `person` for a person's change or command, as the detail says. Throws the contract's error when
 * an observed type's detail does not follow its schema.
 *
 * @example
 * ```ts
 * const observed = parseObservedEvent(message.body);
 * if (observed !== undefined) metrics.observeEvent(observed);
 * ```
 */
export function parseObservedEvent(body: string): ObservedEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return undefined;
  }
  const envelope = eventEnvelope.safeParse(raw);
  if (!envelope.success) return undefined;
  const event = envelope.data;
  if (event.source !== SHIPLINE_SOURCE || !OBSERVED.has(event["detail-type"])) return undefined;
  if (event["detail-type"] === DetailType.HoldPlaced) {
    const hold = parseDetail(DetailType.HoldPlaced, event.detail);
    return {
      type: "hold-placed",
      app: hold.app ?? "",
      environment: hold.environment,
      placedBy: hold.placedBy === "rollback" ? "rollback" : "person",
    };
  }
  if (event["detail-type"] === DetailType.HoldReleased) {
    const release = parseDetail(DetailType.HoldReleased, event.detail);
    return { type: "hold-released", app: release.app ?? "", environment: release.environment };
  }
  const waiting = parseDetail(DetailType.PromotionWaiting, event.detail);
  return {
    type: "promotion-waiting",
    app: waiting.app ?? "",
    environment: waiting.environment,
    waitingFor: waiting.waitingFor,
  };
}
