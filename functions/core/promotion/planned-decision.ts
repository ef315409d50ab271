import type { ShiplineConfig } from "../config/shipline-config.js";
import type { CommitAncestry } from "../ports/commit-ancestry.js";
import type { ScheduledPromotion } from "../ports/promotion-scheduler.js";
import type { WriteIntent } from "../writer/write-intent.js";
import type { PromotionDecision, SkipReason } from "./promotion-decision.js";
import type { PendingPromotion } from "./promotion-records.js";
import type { PromotionState } from "./promotion-state.js";
import type { PromotionTrigger } from "./promotion-trigger.js";

/** What carrying out a decision changes, besides recording it. */
export interface PromotionEffects {
  /** Promoted: the request for the config writer. */
  readonly intent?: WriteIntent;
  /** Scheduled: the check to run when the soak time ends. */
  readonly schedule?: ScheduledPromotion;
  /** The image now waits (soaking, awaiting approval, held). */
  readonly pending?: PendingPromotion;
  /** The image no longer waits to enter the decision's environment. */
  readonly clearPending?: boolean;
  /** An explicit redeploy: the image's earlier claim on the environment is dropped before it is claimed again. */
  readonly reclaim?: boolean;
}

/**
 * A decision with what carrying it out changes: `decidePromotion` plans, `runPromotion` carries out.
 */
export interface PlannedDecision {
  readonly decision: PromotionDecision;
  readonly effects: PromotionEffects;
}

/** What a decision is made with: the trigger, the configuration, the state and "now". */
export interface PromotionContext {
  readonly trigger: PromotionTrigger;
  readonly config: ShiplineConfig;
  readonly state: PromotionState;
  readonly ancestry: CommitAncestry;
  readonly now: Date;
}

/** Which image and environment a decision is about. */
export interface DecisionSubject {
  readonly app: string;
  readonly environment: string;
  readonly digest?: string;
  readonly commit: string;
  readonly correlationId: string;
}

/**
 * Builds a planned decision of the context's trigger.
 *
 * @example
 * ```ts
 * return planned(context, subject, { outcome: "awaiting-approval", reason }, { pending });
 * ```
 */
export function planned(
  context: PromotionContext,
  subject: DecisionSubject,
  outcome: Pick<PromotionDecision, "outcome" | "reason" | "skip" | "mode" | "intentId" | "dueAt">,
  effects: PromotionEffects = {},
): PlannedDecision {
  return {
    decision: {
      app: subject.app,
      environment: subject.environment,
      ...(subject.digest === undefined ? {} : { digest: subject.digest }),
      commit: subject.commit,
      correlationId: subject.correlationId,
      ...outcome,
      trigger: { kind: context.trigger.kind, eventId: context.trigger.eventId },
      decidedAt: context.now.toISOString(),
    },
    effects,
  };
}

/**
 * Builds a planned "skipped" decision; the image stops waiting to enter that environment unless
 * `effects` says otherwise.
 *
 * @example
 * ```ts
 * return skipped(context, subject, "no-deploy-target", "demo has no deploy target in production");
 * ```
 */
export function skipped(
  context: PromotionContext,
  subject: DecisionSubject,
  skip: SkipReason,
  reason: string,
  effects: PromotionEffects = { clearPending: true },
): PlannedDecision {
  return planned(context, subject, { outcome: "skipped", skip, reason }, effects);
}
