import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { gitSha, resourceName } from "../primitives.js";
import { bakeDetail } from "./bake-detail.js";
import { canaryProgress } from "./canary-progress.js";

/** `Deployment Verified`: the application runs the config commit, Synced and Healthy. */
export const deploymentVerifiedDetail = detailBase.extend({
  environment: environmentField,
  cluster: resourceName,
  application: z.string().min(1),
  revision: gitSha,
  /** The later config commit Argo CD was Synced at, still deploying the image of `revision` (shared config repositories). Absent: `revision` itself. */
  syncedRevision: gitSha.optional(),
  syncStatus: z.literal("Synced"),
  health: z.literal("Healthy"),
  digest: z.string().optional(),
  durationSeconds: z.number().nonnegative().optional(),
  /** What the config commit does: `update` sets an image, `revert` undoes an earlier commit (a rollback). Absent: update. */
  kind: z.enum(["update", "revert"]).optional(),
  /** The canary steps the agent saw when the application deploys an Argo Rollouts canary. */
  canary: canaryProgress.optional(),
  /** The metric gate the deployment held, when its environment has one. */
  bake: bakeDetail.optional(),
});

/** Detail of `Deployment Verified`. */
export type DeploymentVerified = z.infer<typeof deploymentVerifiedDetail>;
