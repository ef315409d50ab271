import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { isoTime } from "../primitives.js";

/** `Hold Placed`: automation stops promoting this app into this environment. */
export const holdPlacedDetail = detailBase.extend({
  environment: environmentField,
  reason: z.string().min(1),
  placedBy: z.string().min(1),
  digest: z.string().optional(),
  expiresAt: isoTime.optional(),
});

/** Detail of `Hold Placed`. */
export type HoldPlaced = z.infer<typeof holdPlacedDetail>;
