import * as z from "zod";
import { durationSeconds } from "./duration.js";
import { flag } from "./fields.js";

/** How long a canary may take at most, when an environment does not say. */
export const DEFAULT_CANARY_MAX_SECONDS = 3600;

/**
 * How the agent treats an Argo Rollouts canary in an environment (`environments[].rollout`):
 * - `promotePauses`: promote a Rollout paused at a `pause: {}` step (as `kubectl argo rollouts
 *   promote` does) instead of waiting for a person to promote it within the deadline;
 * - `maxDuration`: a canary whose steps keep changing has `verifyDeadline` again from each step
 *   change, but never longer than this from the sync request (at least `verifyDeadline`, at most
 *   12h: the agent keeps the request's message in flight meanwhile, which SQS allows 12 hours).
 *
 * @example
 * ```ts
 * rolloutPolicy.parse({ promotePauses: true, maxDuration: "2h" }); // { promotePauses: true, maxSeconds: 7200 }
 * ```
 */
export const rolloutPolicy = z
  .strictObject({
    promotePauses: flag(false),
    // The agent holds the request's message in flight meanwhile, which SQS allows 12 hours at most.
    maxDuration: durationSeconds({ min: 10, max: 12 * 3600 }).default(DEFAULT_CANARY_MAX_SECONDS),
  })
  .transform(({ promotePauses, maxDuration }) => ({ promotePauses, maxSeconds: maxDuration }));

/** An environment's canary policy (output of {@link rolloutPolicy}); durations in seconds. */
export type RolloutPolicy = z.output<typeof rolloutPolicy>;
