import * as z from "zod";
import { gitSha, imageDigest, isoTime, resourceName } from "../contracts/primitives.js";
import { PROMOTION_WAKE_REASONS, type ScheduledPromotion } from "../ports/promotion-scheduler.js";

/** The `source` of a scheduled promotion check's payload. */
export const PROMOTION_DUE_SOURCE = "shipline.scheduler";

/** The `detail-type` of a scheduled promotion check's payload. */
export const PROMOTION_DUE_DETAIL_TYPE = "Promotion Due";

/**
 * The payload a one-time schedule delivers to the promote step. It is shaped like an event (`id`,
 * `source`, `detail-type`, `time`, `detail` with `app`, `commit` and `correlationId`) so that logs,
 * metrics and `Step Failed` records read it like any other trigger, but it never travels on the bus.
 *
 * @example
 * ```ts
 * const due = promotionDuePayload.parse(JSON.parse(schedule.Target.Input));
 * ```
 */
export const promotionDuePayload = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9.:_-]{1,256}$/, "expected a schedule id of letters, digits and .:_-"),
  source: z.literal(PROMOTION_DUE_SOURCE),
  "detail-type": z.literal(PROMOTION_DUE_DETAIL_TYPE),
  time: isoTime,
  detail: z.strictObject({
    reason: z.enum(PROMOTION_WAKE_REASONS),
    app: resourceName,
    environment: resourceName,
    digest: imageDigest.optional(),
    commit: gitSha,
    correlationId: z.string().min(1).max(256),
  }),
});

/** A parsed {@link promotionDuePayload}. */
export type PromotionDue = z.output<typeof promotionDuePayload>;

/**
 * Builds the payload a schedule delivers for a {@link ScheduledPromotion}.
 *
 * @example
 * ```ts
 * const input = JSON.stringify(toPromotionDuePayload(request));
 * ```
 */
export function toPromotionDuePayload(request: ScheduledPromotion): PromotionDue {
  return promotionDuePayload.parse({
    id: request.id,
    source: PROMOTION_DUE_SOURCE,
    "detail-type": PROMOTION_DUE_DETAIL_TYPE,
    time: request.at.toISOString(),
    detail: {
      reason: request.reason,
      app: request.app,
      environment: request.environment,
      ...(request.digest === undefined ? {} : { digest: request.digest }),
      commit: request.commit,
      correlationId: request.correlationId,
    },
  });
}
