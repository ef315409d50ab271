import * as z from "zod";
import { detailBase } from "../detail-base.js";

/** `Build Failed`: the build failed, stopped or timed out. */
export const buildFailedDetail = detailBase.extend({
  buildId: z.string().min(1),
  projectName: z.string().min(1),
  status: z.enum(["FAILED", "FAULT", "STOPPED", "TIMED_OUT"]),
  failedPhase: z.string().optional(),
  reason: z.string(),
  durationSeconds: z.number().nonnegative().optional(),
  logsUrl: z.string().min(1).optional(),
});

/** Detail of `Build Failed`. */
export type BuildFailed = z.infer<typeof buildFailedDetail>;
