import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { gitSha, isoTime, resourceName } from "../primitives.js";
import { bakeDetail } from "./bake-detail.js";

/** `Sync Requested`: an Argo CD application must reach the config commit before the deadline. */
export const syncRequestedDetail = detailBase.extend({
  environment: environmentField,
  cluster: resourceName,
  application: z.string().min(1),
  revision: gitSha,
  deadline: isoTime,
  digest: z.string().optional(),
  /** The image tag the config commit deploys, when known. */
  tag: z.string().optional(),
  /** What the config commit does: `update` sets an image, `revert` undoes an earlier commit (a rollback). Absent: update. */
  kind: z.enum(["update", "revert"]).optional(),
  /**
   * When the config commit was announced (its `Config Committed` event's time). Orders config
   * commits where Argo CD's revision metadata cannot be read (the agent's Kubernetes-API mode).
   */
  committedAt: isoTime.optional(),
  /**
   * How the agent treats an Argo Rollouts canary (the environment's `rollout`): whether it promotes
   * paused steps, and the latest time a canary that keeps progressing may take (each step change
   * gives it `deadline - time of the request` again, up to this). Absent: no promotion, and a cap of
   * one hour after the request.
   */
  rollout: z.object({ promotePauses: z.boolean(), until: isoTime }).optional(),
  /** The metric gate to hold after Synced + Healthy (the environment's `bake`; reverts are not baked). */
  bake: bakeDetail.optional(),
});

/** Detail of `Sync Requested`. */
export type SyncRequested = z.infer<typeof syncRequestedDetail>;
