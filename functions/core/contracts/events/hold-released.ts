import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";

/** `Hold Released`: automation may promote this app into this environment again. */
export const holdReleasedDetail = detailBase.extend({
  environment: environmentField,
  releasedBy: z.string().min(1),
  reason: z.string().optional(),
});

/** Detail of `Hold Released`. */
export type HoldReleased = z.infer<typeof holdReleasedDetail>;
