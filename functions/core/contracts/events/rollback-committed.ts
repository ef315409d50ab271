import { z } from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { gitSha } from "../primitives.js";

/** `Rollback Committed`: the config commit of a failed deployment was reverted. */
export const rollbackCommittedDetail = detailBase.extend({
  environment: environmentField,
  configRepo: z.string().min(1),
  revertedCommit: gitSha,
  configCommit: gitSha,
  reason: z.string().min(1),
});

/** Detail of `Rollback Committed`. */
export type RollbackCommitted = z.infer<typeof rollbackCommittedDetail>;
