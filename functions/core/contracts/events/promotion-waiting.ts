import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { imageDigest, isoTime } from "../primitives.js";

/** What an image waits for before it enters an environment. */
export const WAITING_FOR = ["approval", "soak", "hold"] as const;

/**
 * `Promotion Waiting`: promote decided that an image waits before it enters an environment: a
 * manual approval, the upstream soak time, or a hold. It says until when (soak), who holds it
 * (hold) and the command that moves it on, so every surface can tell a waiting journey apart from a
 * stuck one.
 */
export const promotionWaitingDetail = detailBase.extend({
  environment: environmentField,
  digest: imageDigest,
  tag: z.string().min(1),
  waitingFor: z.enum(WAITING_FOR),
  reason: z.string().min(1),
  /** Soak: when the image is reconsidered. */
  until: isoTime.optional(),
  /** Hold: who placed it. */
  heldBy: z.string().min(1).optional(),
  /** What moves it on: `shipline approve …` or `shipline release …`. */
  command: z.string().min(1).optional(),
});

/** Detail of `Promotion Waiting`. */
export type PromotionWaiting = z.infer<typeof promotionWaitingDetail>;
