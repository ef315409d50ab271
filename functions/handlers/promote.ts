import type { Context } from "aws-lambda";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import type { CommitAncestry } from "../core/ports/commit-ancestry.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import type { MessageQueue } from "../core/ports/message-queue.js";
import type { PromotionScheduler } from "../core/ports/promotion-scheduler.js";
import { type PromotionResult, runPromotion } from "../core/promotion/run-promotion.js";
import { type PromoteEvent, promoteInput, promotionTriggerOf } from "./promote-input.js";
import { createStepHandler, type StepDeps, type StepInvocation } from "./shared/index.js";

/** The promote step's dependencies, created once per cold start. */
export interface PromoteDeps extends StepDeps {
  /** The validated configuration (environments, apps, config repo). */
  readonly config: ShiplineConfig;
  /** Holds the promotion records (logical table `promotion`). */
  readonly store: DocumentStore;
  /** The history of the apps' source repositories. */
  readonly ancestry: CommitAncestry;
  /** The config repository's FIFO writer queue. */
  readonly writeQueue: MessageQueue;
  /**
   * The scheduler of later checks, given the invocation's context: on AWS the schedule's target
   * is the invoked function's own ARN, known only from the context.
   */
  readonly schedulerFor: (context: Context) => PromotionScheduler;
}

/**
 * The promote step's work for one event: `runPromotion` on the event's trigger, then one log line
 * per decision (the decisions themselves are recorded for the ledger).
 *
 * @example
 * ```ts
 * const result = await runPromote({ event, deps, context, correlationId });
 * ```
 */
export async function runPromote(
  invocation: StepInvocation<PromoteEvent, PromoteDeps>,
): Promise<PromotionResult> {
  const { event, deps, context } = invocation;
  const result = await runPromotion({
    trigger: promotionTriggerOf(event),
    config: deps.config,
    store: deps.store,
    ancestry: deps.ancestry,
    scheduler: deps.schedulerFor(context),
    writeQueue: deps.writeQueue,
    clock: deps.clock,
    publisher: deps.publisher,
    // The scan gate's verdicts sit in the same store (table `images`): only its approval deploys.
    gate: deps.store,
  });
  if (result.duplicate)
    deps.logger.info("Event handled before; nothing done again", { eventId: result.eventId });
  for (const decision of result.decisions) {
    deps.logger.info(`Promotion ${decision.outcome}: ${decision.reason}`, {
      app: decision.app,
      environment: decision.environment,
      digest: decision.digest,
      outcome: decision.outcome,
      skip: decision.skip,
      intentId: decision.intentId,
    });
  }
  return result;
}

/**
 * Builds the promote step's Lambda handler from its dependencies.
 *
 * @example
 * ```ts
 * export const handler = createPromoteHandler({ ...createStepDeps({ step: "promote", environment }), config, store, ancestry, writeQueue, schedulerFor });
 * ```
 */
export function createPromoteHandler(deps: PromoteDeps) {
  return createStepHandler({ step: "promote", input: promoteInput, deps, run: runPromote });
}
