import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { imageDigest } from "../primitives.js";

/** `Promotion Approved`: a person approved an image for an environment that asks for manual approval. */
export const promotionApprovedDetail = detailBase.extend({
  environment: environmentField,
  digest: imageDigest,
  approvedBy: z.string().min(1),
  comment: z.string().optional(),
  /** Lets an image that failed in this environment in again (`shipline approve --redeploy`). */
  redeploy: z.boolean().optional(),
});

/** Detail of `Promotion Approved`. */
export type PromotionApproved = z.infer<typeof promotionApprovedDetail>;
