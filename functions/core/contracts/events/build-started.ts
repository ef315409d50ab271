import * as z from "zod";
import { detailBase } from "../detail-base.js";

/** `Build Started`: a build of one app at one commit was started. */
export const buildStartedDetail = detailBase.extend({
  buildId: z.string().min(1),
  projectName: z.string().min(1),
  imageRepository: z.string().min(1),
  /** The image tag; absent when only the build can complete it (see `imageTagTemplate`). */
  imageTag: z.string().min(1).optional(),
  /** The tag still to be completed by the build (`{version}` read from the checkout), e.g. `{version}-0123456`. */
  imageTagTemplate: z.string().min(1).optional(),
  logsUrl: z.string().min(1).optional(),
  deliveryId: z.string().min(1),
  /**
   * Why the push builds the app: the branch and the changed paths that matched (listed by the push or
   * read from the repository), or why every path counted as changed (a new branch, a repository that
   * could not be read).
   */
  selectedBecause: z.string().min(1).optional(),
});

/** Detail of `Build Started`. */
export type BuildStarted = z.infer<typeof buildStartedDetail>;
