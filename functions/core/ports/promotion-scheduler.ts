/** Why a scheduled promotion check wakes the promote step. */
export const PROMOTION_WAKE_REASONS = ["soak-elapsed", "hold-expired"] as const;

/** One of {@link PROMOTION_WAKE_REASONS}. */
export type PromotionWakeReason = (typeof PROMOTION_WAKE_REASONS)[number];

/** A one-time promotion check to run later. */
export interface ScheduledPromotion {
  /**
   * Identifies the check: scheduling the same id twice schedules it once. Letters, digits and
   * `.:_-` only.
   */
  readonly id: string;
  /** When the check runs. */
  readonly at: Date;
  /** Why: the soak time after an upstream verification ended, or a hold expired. */
  readonly reason: PromotionWakeReason;
  readonly app: string;
  /** The environment to reconsider. */
  readonly environment: string;
  /** The image to promote (`soak-elapsed`). */
  readonly digest?: string;
  /** The source commit the check is about. */
  readonly commit: string;
  /** The journey's correlation id. */
  readonly correlationId: string;
}

/**
 * Port for one-time schedules that wake the promote step: EventBridge Scheduler (`at(...)`
 * schedules deleted after they run) on AWS, an in-process timer locally. A scheduled check is
 * delivered to the promote step as a `Promotion Due` payload (see `promotionDuePayload`), never
 * by a function sleeping.
 *
 * @example
 * ```ts
 * await scheduler.schedulePromotion({
 *   id: "soak-elapsed.demo.production.9f2c4e1a7b3d", at: new Date("2026-03-01T12:10:00Z"),
 *   reason: "soak-elapsed", app: "demo", environment: "production", digest, commit, correlationId,
 * });
 * ```
 */
export interface PromotionScheduler {
  /** Schedules the check; resolves once it is durably scheduled (or already was). */
  schedulePromotion(request: ScheduledPromotion): Promise<void>;
}
