/** How long after the request a canary may keep progressing when the request names no cap. */
export const DEFAULT_CANARY_CAP_MS = 3_600_000;

/**
 * The verification deadline of a deployment whose Argo Rollouts canary progresses: each step
 * change gives it the request's whole window again (`deadline - requestedAt`, the environment's
 * `verifyDeadline`), counted from the change, but never past `until` (the environment's
 * `rollout.maxDuration` after the request; one hour when absent) nor before the request's own
 * deadline.
 *
 * @example
 * ```ts
 * canaryDeadline({ requestedAt, deadline, lastStepChangeAt: clock.now() }); // now + verifyDeadline
 * ```
 */
export function canaryDeadline(options: {
  readonly requestedAt: Date;
  readonly deadline: Date;
  /** The canary's cap; @default - one hour after `requestedAt` */
  readonly until?: Date;
  /** When the agent last saw the canary's step change; undefined: no canary seen. */
  readonly lastStepChangeAt?: Date;
}): Date {
  const deadline = options.deadline.getTime();
  if (options.lastStepChangeAt === undefined) return options.deadline;
  const window = Math.max(0, deadline - options.requestedAt.getTime());
  const cap = options.until?.getTime() ?? options.requestedAt.getTime() + DEFAULT_CANARY_CAP_MS;
  const moved = Math.min(options.lastStepChangeAt.getTime() + window, cap);
  return new Date(Math.max(deadline, moved));
}
