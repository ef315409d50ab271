import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { gitSha, resourceName } from "../primitives.js";
import { bakeDetail } from "./bake-detail.js";
import { canaryProgress } from "./canary-progress.js";

/** A resource that kept the application from becoming healthy. */
export const failingResource = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  health: z.string().optional(),
  message: z.string().optional(),
});

/** `Deployment Failed`: the sync failed, the app went Degraded, or the deadline passed. */
export const deploymentFailedDetail = detailBase.extend({
  environment: environmentField,
  cluster: resourceName,
  application: z.string().min(1),
  revision: gitSha,
  reason: z.string().min(1),
  syncStatus: z.string().optional(),
  health: z.string().optional(),
  operationPhase: z.string().optional(),
  resources: z.array(failingResource).default([]),
  digest: z.string().optional(),
  /** The image tag the config commit deploys, when known. */
  tag: z.string().optional(),
  /** What the config commit does: `update` sets an image, `revert` undoes an earlier commit (a rollback). Absent: update. */
  kind: z.enum(["update", "revert"]).optional(),
  /** The canary steps the agent saw when the application deploys an Argo Rollouts canary. */
  canary: canaryProgress.optional(),
  /** The metric gate, when the deployment was baked (a breach fails it). */
  bake: bakeDetail.optional(),
  /** Why it failed, as a code: `DEPLOYMENT_UNHEALTHY`, `CANARY_FAILED`, `VERIFY_DEADLINE_PASSED`, `METRIC_CHECK_BREACHED`, `METRIC_CHECK_UNREACHABLE` or an Argo CD error's `ARGOCD_*`. */
  code: z.string().optional(),
});

/** Detail of `Deployment Failed`. */
export type DeploymentFailed = z.infer<typeof deploymentFailedDetail>;
