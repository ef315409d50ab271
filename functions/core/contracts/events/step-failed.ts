import * as z from "zod";
import { detailBase } from "../detail-base.js";

/**
 * `Step Failed`: a step met a permanent error (bad event, bad config) and recorded it instead of
 * retrying. `app` and `commit` are those of the failed event when it had them.
 */
export const stepFailedDetail = detailBase.extend({
  app: z.string().nullable(),
  commit: z.string().nullable(),
  step: z.string().min(1),
  code: z.string().min(1),
  reason: z.string().min(1),
  failedEventId: z.string().optional(),
  failedDetailType: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** Detail of `Step Failed`. */
export type StepFailed = z.infer<typeof stepFailedDetail>;
