import * as z from "zod";
import { isoTime } from "../primitives.js";

/** One canary step the agent saw an Argo Rollouts `Rollout` reach, in the order it saw them. */
export const canaryStepRecord = z.object({
  /** `status.currentStepIndex` (0-based); equal to `total` once every step has run. */
  index: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  /** The step's kind: `setWeight`, `pause`, `analysis`, another kind, or `done` after the last one. */
  kind: z.enum(["setWeight", "pause", "analysis", "other", "done"]),
  /** The canary's traffic weight in percent at that step. */
  weight: z.number().min(0).max(100).optional(),
  /** The Rollout was paused at the step (Argo CD shows it Suspended). */
  paused: z.boolean().optional(),
  /** The agent promoted the Rollout past this pause (the environment's `rollout.promotePauses`). */
  promoted: z.boolean().optional(),
  /** When the agent saw the step. */
  at: isoTime,
});

/** One {@link canaryStepRecord}. */
export type CanaryStepRecord = z.infer<typeof canaryStepRecord>;

/**
 * The canary of a deployment, as `Deployment Verified` and `Deployment Failed` carry it: the
 * Rollout and each step change the agent saw while it verified the deployment.
 */
export const canaryProgress = z.object({
  /** The Rollout, `<namespace>/<name>`. */
  rollout: z.string().min(1),
  steps: z.array(canaryStepRecord),
  /** Set when the Rollout was aborted (the reason of the failure is its message). */
  aborted: z.boolean().optional(),
});

/** One {@link canaryProgress}. */
export type CanaryProgress = z.infer<typeof canaryProgress>;
