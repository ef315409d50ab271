import * as z from "zod";
import { bakePolicy } from "./bake-policy.js";
import { durationSeconds, formatDuration } from "./duration.js";
import { choice, dnsName, flag } from "./fields.js";
import { rolloutPolicy } from "./rollout-policy.js";
import { say } from "./say.js";

/**
 * How an image enters an environment once it qualifies (approved by the scan gate for a first
 * environment; verified and soaked upstream otherwise):
 * - `auto`: Shipline commits the change itself;
 * - `pull-request`: Shipline opens a pull request on the config repo; merging it deploys;
 * - `manual`: Shipline waits for a `Promotion Approved` event (`shipline promote`, the web page).
 */
export const APPROVAL_MODES = ["auto", "pull-request", "manual"] as const;

/** One of {@link APPROVAL_MODES}. */
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/**
 * An environment: a stage of the promotion path, deployed on one cluster.
 *
 * @example
 * ```ts
 * environment.parse({ name: "production", cluster: "prod-eu", promoteFrom: "staging", approval: "manual" });
 * ```
 */
export const environment = z
  .strictObject({
    /** The environment's name: deploy targets and `promoteFrom` refer to it. */
    name: dnsName("the environment's name, e.g. staging"),
    /** The cluster (from `clusters`) this environment runs on. */
    cluster: dnsName("the cluster's name from clusters, e.g. prod-eu"),
    /**
     * The environment whose verified deployments feed this one. Absent: a first environment, fed by
     * every image the scan gate approves.
     */
    promoteFrom: dnsName("the upstream environment's name, e.g. staging").optional(),
    /** How an image enters this environment. */
    approval: choice(APPROVAL_MODES).default("auto"),
    /** How long an image must have been verified upstream (`promoteFrom`) before it is promoted here. */
    soakTime: durationSeconds({ min: 0, max: 7 * 86_400 }).default(0),
    /** On a failed deployment, revert the config commit and hold the image. */
    autoRollback: flag(false),
    /** How long the agent waits for Synced + Healthy on the exact revision before failing. */
    verifyDeadline: durationSeconds({ min: 10, max: 86_400 }).default(300),
    /** How the agent treats an Argo Rollouts canary here (see `rolloutPolicy`). */
    rollout: rolloutPolicy.optional(),
    /** The metric gate after Synced + Healthy (see `bakePolicy`). */
    bake: bakePolicy.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.rollout !== undefined && value.rollout.maxSeconds < value.verifyDeadline) {
      ctx.addIssue({
        code: "custom",
        path: ["rollout", "maxDuration"],
        message: say(
          `${formatDuration(value.rollout.maxSeconds)} is shorter than verifyDeadline (${formatDuration(value.verifyDeadline)})`,
          "make rollout.maxDuration at least verifyDeadline: it caps how long a progressing canary may take",
        ),
      });
    }
  })
  .transform(({ soakTime, verifyDeadline, ...rest }) => ({
    ...rest,
    /** `soakTime` in seconds. */
    soakSeconds: soakTime,
    /** `verifyDeadline` in seconds. */
    verifyDeadlineSeconds: verifyDeadline,
  }));

/** An environment (output of {@link environment}); durations are in seconds. */
export type EnvironmentConfig = z.output<typeof environment>;
