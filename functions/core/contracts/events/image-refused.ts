import * as z from "zod";
import { detailBase, imageRef } from "../detail-base.js";
import { imagePushedDetail } from "./image-pushed.js";

/** The rule of an app's `accept` policy an image failed. */
export const ACCEPT_RULES = ["branches", "tags", "semver"] as const;

/**
 * `Image Refused`: an image of a known app was announced, but the app's acceptance policy (`accept`:
 * the branch its commit comes from, a tag pattern, a semver range) does not let it into the chain.
 * It is recorded with the reason and never scanned, approved or deployed; nothing reacts to it but
 * the ledger (and what reads it: trace, status, `shipline events`).
 */
export const imageRefusedDetail = detailBase.extend({
  ...imageRef.shape,
  imageUri: z.string().min(1).optional(),
  /** How the push was noticed, as `Image Pushed` says it. */
  via: imagePushedDetail.shape.via,
  /** How the source commit was found. */
  commitFrom: imagePushedDetail.shape.commitFrom,
  /** The rule the image failed. */
  rule: z.enum(ACCEPT_RULES),
  /** Why, in one line, with what would let such an image in. */
  reason: z.string().min(1),
});

/** Detail of `Image Refused`. */
export type ImageRefused = z.infer<typeof imageRefusedDetail>;
