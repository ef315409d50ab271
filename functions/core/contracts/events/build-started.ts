import { z } from "zod";
import { detailBase } from "../detail-base.js";

/** `Build Started`: a build of one app at one commit was started. */
export const buildStartedDetail = detailBase.extend({
  buildId: z.string().min(1),
  projectName: z.string().min(1),
  imageRepository: z.string().min(1),
  imageTag: z.string().min(1),
  logsUrl: z.string().min(1).optional(),
  deliveryId: z.string().min(1),
});

/** Detail of `Build Started`. */
export type BuildStarted = z.infer<typeof buildStartedDetail>;
