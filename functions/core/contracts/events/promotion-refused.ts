import * as z from "zod";
import { detailBase } from "../detail-base.js";
import { imageDigest } from "../primitives.js";

/** Why promote refused an image, as a stable code (the promotion decision's skip reason). */
export const REFUSALS = [
  "would-downgrade",
  "failed-here",
  "failed-upstream",
  "held-upstream",
  "not-approved-upstream",
  "unknown-image",
  "unknown-environment",
  "never-failed",
  "superseded",
] as const;

/**
 * `Promotion Refused`: promote did not let an image into an environment and will not by itself: it
 * is older than what runs there, it failed there or upstream, an approval named an image the gate
 * or the upstream environment never passed, or an environment that does not exist. The reason says
 * it in one line, with what to do where something can be done. `superseded`: a newer image took its
 * place while it waited (its wait is over).
 */
export const promotionRefusedDetail = detailBase.extend({
  /** As the trigger named it: an approval may name an environment the configuration lacks. */
  environment: z.string().min(1).max(253),
  digest: imageDigest.optional(),
  tag: z.string().min(1).optional(),
  refusal: z.enum(REFUSALS),
  reason: z.string().min(1),
});

/** Detail of `Promotion Refused`. */
export type PromotionRefused = z.infer<typeof promotionRefusedDetail>;
