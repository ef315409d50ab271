import * as z from "zod";
import { detailBase } from "../detail-base.js";

/** `Build Succeeded`: the build passed its tests and pushed its image. */
export const buildSucceededDetail = detailBase.extend({
  buildId: z.string().min(1),
  projectName: z.string().min(1),
  imageTag: z.string().min(1).optional(),
  durationSeconds: z.number().nonnegative().optional(),
  logsUrl: z.string().min(1).optional(),
});

/** Detail of `Build Succeeded`. */
export type BuildSucceeded = z.infer<typeof buildSucceededDetail>;
