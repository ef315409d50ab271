import type { ShiplineConfig } from "../config/shipline-config.js";
import type { Clock } from "../ports/clock.js";
import type { CommitAncestry } from "../ports/commit-ancestry.js";
import type { DocumentStore } from "../ports/document-store.js";
import type { EventPublisher } from "../ports/event-publisher.js";
import type { MessageQueue } from "../ports/message-queue.js";
import type { PromotionScheduler } from "../ports/promotion-scheduler.js";
import { writeIntentGroupId } from "../writer/write-intent.js";
import { decidePromotion } from "./decide-promotion.js";
import type { PlannedDecision, PromotionContext } from "./planned-decision.js";
import type { PromotionDecision } from "./promotion-decision.js";
import { PromotionState } from "./promotion-state.js";
import type { PromotionTrigger } from "./promotion-trigger.js";
import { recordFacts } from "./record-facts.js";
import { waitingEvents } from "./waiting-events.js";

/** Options of {@link runPromotion}. */
export interface RunPromotionOptions {
  readonly trigger: PromotionTrigger;
  readonly config: ShiplineConfig;
  /** Holds the promotion records (table `promotion`). */
  readonly store: DocumentStore;
  readonly ancestry: CommitAncestry;
  /** Wakes the step when a soak time ends or a hold expires. */
  readonly scheduler: PromotionScheduler;
  /** The config repository's FIFO queue, read by the config writer. */
  readonly writeQueue: MessageQueue;
  readonly clock: Clock;
  /**
   * Receives `Promotion Waiting` for every image that waits (approval, soak, hold).
   * @default - nothing is published
   */
  readonly publisher?: EventPublisher;
  /**
   * Where the scan gate records its verdicts: an `Image Approved` without the gate's own approval
   * is refused (`IMAGE_NOT_APPROVED_BY_GATE`).
   * @default - not checked
   */
  readonly gate?: DocumentStore;
}

/** What {@link runPromotion} did. */
export interface PromotionResult {
  /** The trigger's event id. */
  readonly eventId: string;
  /** True when the trigger was handled before: nothing was done again. */
  readonly duplicate: boolean;
  /** Every decision, as recorded for the ledger. */
  readonly decisions: readonly PromotionDecision[];
}

/**
 * The promote step's use case: handles one trigger once. A trigger handled before (same event id)
 * does nothing. Otherwise it records the facts the trigger tells, decides (`decidePromotion`),
 * carries each decision out, records every decision for the ledger, publishes `Promotion Waiting`
 * for every image that now waits (see `waitingEvents`) and remembers the event id.
 * Carrying out a promotion first claims (image, environment) for its write intent, so that an image
 * enters an environment once even when two triggers race, then sends the intent on the config
 * repository's FIFO queue (group: repository + branch, deduplication id: the intent id). Each
 * step is idempotent, so a retry after a failure finishes the work without doing any part twice.
 *
 * @example
 * ```ts
 * const result = await runPromotion({ trigger, config, store, ancestry, scheduler, writeQueue, clock });
 * result.decisions.map((decision) => `${decision.environment}: ${decision.outcome}`);
 * ```
 */
export async function runPromotion(options: RunPromotionOptions): Promise<PromotionResult> {
  const { trigger } = options;
  const state = new PromotionState({ store: options.store });
  if (await state.wasProcessed(trigger.eventId)) {
    return { eventId: trigger.eventId, duplicate: true, decisions: [] };
  }
  const now = options.clock.now();
  await recordFacts({ ...options, state, now });
  const context: PromotionContext = {
    trigger,
    config: options.config,
    state,
    ancestry: options.ancestry,
    now,
  };
  const decisions: PromotionDecision[] = [];
  for (const plan of await decidePromotion(context)) {
    decisions.push(await carryOut(options, state, plan));
  }
  for (const decision of decisions) await state.recordDecision(decision);
  if (options.publisher !== undefined) {
    const waiting = await waitingEvents({ decisions, state, now });
    if (waiting.length > 0) await options.publisher.publish(waiting);
  }
  await state.markProcessed(trigger.eventId, now);
  return { eventId: trigger.eventId, duplicate: false, decisions };
}

async function carryOut(
  options: RunPromotionOptions,
  state: PromotionState,
  plan: PlannedDecision,
): Promise<PromotionDecision> {
  const { decision, effects } = plan;
  const { app, environment } = decision;
  const { intent } = effects;
  if (intent !== undefined) {
    const claimedAt = options.clock.now().toISOString();
    if (effects.reclaim === true) await state.deleteClaim(app, environment, intent.image.digest);
    const claimed = await state.claimPromotion(app, environment, intent.image.digest, {
      intentId: intent.intentId,
      claimedAt,
    });
    if (!claimed) {
      return {
        ...decision,
        outcome: "skipped",
        skip: "already-deployed",
        reason: `${intent.image.tag} was promoted into ${environment} by another trigger at the same time`,
        mode: undefined,
        intentId: undefined,
      };
    }
    const { configRepo } = options.config;
    await options.writeQueue.send({
      body: JSON.stringify(intent),
      groupId: writeIntentGroupId(configRepo.url, configRepo.branch),
      deduplicationId: intent.intentId,
    });
    const current = await state.environment(app, environment);
    const image = await state.image(app, intent.image.digest);
    await state.putEnvironment(app, environment, {
      ...current,
      promoted: {
        digest: intent.image.digest,
        commit: intent.commit,
        ...(image?.commitTime === undefined ? {} : { commitTime: image.commitTime }),
        tag: intent.image.tag,
        at: claimedAt,
      },
    });
  }
  if (effects.pending !== undefined) await state.putPending(effects.pending);
  if (effects.schedule !== undefined) await options.scheduler.schedulePromotion(effects.schedule);
  if (effects.clearPending && decision.digest !== undefined) {
    await state.deletePending(app, environment, decision.digest);
  }
  return decision;
}
