import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { gitSha, imageDigest } from "../primitives.js";

/** `Rollback Committed`: the config commit of a failed deployment was reverted. */
export const rollbackCommittedDetail = detailBase.extend({
  environment: environmentField,
  configRepo: z.string().min(1),
  revertedCommit: gitSha,
  configCommit: gitSha,
  reason: z.string().min(1),
  /** The image the revert brings back: what the target holds now. */
  restored: z.object({ tag: z.string().min(1), digest: imageDigest.optional() }).optional(),
  /** The image the revert took out (the one whose deployment failed). */
  reverted: z.object({ tag: z.string().min(1).optional(), digest: imageDigest.optional() }).optional(),
});

/** Detail of `Rollback Committed`. */
export type RollbackCommitted = z.infer<typeof rollbackCommittedDetail>;
