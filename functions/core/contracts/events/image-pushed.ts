import * as z from "zod";
import { detailBase, imageRef } from "../detail-base.js";

/** `Image Pushed`: an image of a known app landed in the registry. */
export const imagePushedDetail = detailBase.extend({
  ...imageRef.shape,
  imageUri: z.string().min(1).optional(),
  /** How the push was noticed: the registry's event, or the sweep that backs it up. */
  via: z.enum(["event", "sweep"]).default("event"),
  /** How the source commit was found. */
  commitFrom: z.enum(["revision-label", "tag-template"]),
});

/** Detail of `Image Pushed`. */
export type ImagePushed = z.infer<typeof imagePushedDetail>;
