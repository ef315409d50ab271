import { DetailType } from "../contracts/detail-type.js";
import { type PromotionRefused, REFUSALS } from "../contracts/events/promotion-refused.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import type { PromotionDecision } from "./promotion-decision.js";
import type { PromotionState } from "./promotion-state.js";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The events of a trigger's decisions: `Promotion Waiting` for an image that waits for a manual
 * approval (with the `shipline approve` that lets it in), for the upstream soak time (until when),
 * or behind a hold (who placed it, and the `shipline release` that lifts it); `Promotion Refused`
 * for one promote will not let in by itself (older than what runs, failed there or upstream, an
 * approval of an image or environment that does not qualify), with the reason. Other decisions
 * publish nothing: a promotion shows as `Config Committed`; an image already there, or superseded by
 * a newer one, is recorded for the ledger only.
 *
 * @example
 * ```ts
 * const events = await waitingEvents({ decisions, state, now: clock.now() });
 * if (events.length > 0) await publisher.publish(events);
 * ```
 */
export async function waitingEvents(options: {
  readonly decisions: readonly PromotionDecision[];
  readonly state: PromotionState;
  readonly now: Date;
}): Promise<PublishRequest<typeof DetailType.PromotionWaiting | typeof DetailType.PromotionRefused>[]> {
  const { state, now } = options;
  const events: PublishRequest<typeof DetailType.PromotionWaiting | typeof DetailType.PromotionRefused>[] =
    [];
  for (const decision of options.decisions) {
    const { app, environment, digest } = decision;
    const refusal = refusalOf(decision);
    if (refusal !== undefined) {
      const tag = digest === undefined ? undefined : (await state.image(app, digest))?.tag;
      events.push({
        detailType: DetailType.PromotionRefused,
        detail: {
          app,
          commit: decision.commit,
          correlationId: decision.correlationId,
          environment,
          ...(digest !== undefined && DIGEST.test(digest) ? { digest } : {}),
          ...(tag === undefined ? {} : { tag }),
          refusal,
          reason: decision.reason,
        },
        time: now,
      });
      continue;
    }
    if (digest === undefined || !DIGEST.test(digest)) continue;
    const waiting = await waitOf(decision, digest, state, now);
    if (waiting === undefined) continue;
    const tag = (await state.image(app, digest))?.tag ?? digest.slice(0, 19);
    events.push({
      detailType: DetailType.PromotionWaiting,
      detail: {
        app,
        commit: decision.commit,
        correlationId: decision.correlationId,
        environment,
        digest,
        tag,
        reason: decision.reason,
        ...waiting,
      },
      time: now,
    });
  }
  return events;
}

async function waitOf(
  decision: PromotionDecision,
  digest: string,
  state: PromotionState,
  now: Date,
): Promise<
  { waitingFor: "approval" | "soak" | "hold"; until?: string; heldBy?: string; command?: string } | undefined
> {
  const { app, environment } = decision;
  switch (decision.outcome) {
    case "awaiting-approval":
      return { waitingFor: "approval", command: `shipline approve ${app} ${environment} ${digest}` };
    case "scheduled":
      return { waitingFor: "soak", ...(decision.dueAt === undefined ? {} : { until: decision.dueAt }) };
    case "skipped": {
      if (decision.skip !== "held") return undefined;
      const hold = await state.activeHold(app, environment, now);
      return {
        waitingFor: "hold",
        ...(hold === undefined ? {} : { heldBy: hold.placedBy }),
        command: `shipline release ${app} ${environment}`,
      };
    }
    default:
      return undefined;
  }
}

function refusalOf(decision: PromotionDecision): PromotionRefused["refusal"] | undefined {
  if (decision.outcome !== "skipped" || decision.skip === undefined) return undefined;
  return REFUSALS.find((refusal) => refusal === decision.skip);
}
