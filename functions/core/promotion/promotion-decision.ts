import * as z from "zod";
import { gitSha, isoTime } from "../contracts/primitives.js";
import { WRITE_INTENT_MODES } from "../writer/write-intent.js";

/** What promotion decided for one image and one environment. */
export const PROMOTION_OUTCOMES = ["promoted", "scheduled", "awaiting-approval", "skipped"] as const;

/** One of {@link PROMOTION_OUTCOMES}. */
export type PromotionOutcome = (typeof PROMOTION_OUTCOMES)[number];

/**
 * Why an image was not promoted, as a stable code (the decision's `reason` says it in words):
 * - `no-deploy-target`: the app has no deploy target in that environment;
 * - `held`: a hold stops automatic promotion there;
 * - `already-deployed`: the environment runs (or was already asked for) that image;
 * - `would-downgrade`: its commit is older than, or an ancestor of, the environment's commit;
 * - `not-approved-upstream`: an approval for an image the scan gate or the upstream environment never passed;
 * - `unknown-image`: no approved image matches the digest (or the verification names none);
 * - `superseded`: the upstream environment moved on before the soak time ended, or a newer held image won;
 * - `held-upstream`: the upstream environment took the image out (a rollback's hold names it);
 * - `unknown-environment`: the configuration has no such environment;
 * - `failed-here`: the image's deployment failed in that environment (only `--redeploy` brings it back);
 * - `failed-upstream`: it failed in the environment it would be promoted from;
 * - `never-failed`: a redeploy was asked for an image that never failed there.
 */
export const SKIP_REASONS = [
  "no-deploy-target",
  "held",
  "already-deployed",
  "would-downgrade",
  "not-approved-upstream",
  "unknown-image",
  "superseded",
  "held-upstream",
  "unknown-environment",
  "failed-here",
  "failed-upstream",
  "never-failed",
] as const;

/** One of {@link SKIP_REASONS}. */
export type SkipReason = (typeof SKIP_REASONS)[number];

/** How a promoted image reaches the config repo. */
export const WRITE_MODES = WRITE_INTENT_MODES;

/** One of {@link WRITE_MODES}. */
export type WriteMode = (typeof WRITE_MODES)[number];

/** What started a promotion decision. */
export const PROMOTION_TRIGGER_KINDS = [
  "image-approved",
  "deployment-verified",
  "promotion-due",
  "promotion-approved",
  "hold-placed",
  "hold-released",
  "deployment-failed",
] as const;

/** One of {@link PROMOTION_TRIGGER_KINDS}. */
export type PromotionTriggerKind = (typeof PROMOTION_TRIGGER_KINDS)[number];

/**
 * One promotion decision, as it is recorded for the ledger (see `promotionKeys.decision`): which
 * image, which environment, what was decided and why, and what triggered it.
 *
 * @example
 * ```ts
 * const decision = promotionDecision.parse(item.value);
 * if (decision.outcome === "skipped") console.log(`${decision.environment}: ${decision.reason}`);
 * ```
 */
export const promotionDecision = z.object({
  outcome: z.enum(PROMOTION_OUTCOMES),
  app: z.string().min(1),
  environment: z.string().min(1),
  digest: z.string().optional(),
  commit: gitSha,
  correlationId: z.string().min(1),
  /** What it is in words, e.g. "held: rollback of 1a2b3c4 (placed by rollback, until ...)". */
  reason: z.string().min(1),
  /** Skipped: why, as a code. */
  skip: z.enum(SKIP_REASONS).optional(),
  /** Promoted: a direct commit, or a pull request. */
  mode: z.enum(WRITE_MODES).optional(),
  /** Promoted: the write intent sent to the config writer. */
  intentId: z.string().optional(),
  /** Scheduled: when the soak time ends. */
  dueAt: isoTime.optional(),
  trigger: z.object({ kind: z.enum(PROMOTION_TRIGGER_KINDS), eventId: z.string().min(1) }),
  decidedAt: isoTime,
});

/** A {@link promotionDecision}. */
export type PromotionDecision = z.output<typeof promotionDecision>;
