import type { RetryPolicy } from "./rule-definition.js";

/** The bounds EventBridge puts on a target's retry policy. */
export const RETRY_LIMITS = {
  minRetryAttempts: 0,
  maxRetryAttempts: 185,
  minEventAgeSeconds: 60,
  maxEventAgeSeconds: 86_400,
} as const;

/**
 * The retry policies of the topology. EventBridge retries a target only when delivery fails
 * (throttling, an unavailable service); a function's own errors are retried by Lambda's asynchronous
 * invocation. What outlives its policy lands in the rule's dead-letter queue, where an alarm sees it.
 *
 * @example
 * ```ts
 * const rule = { ..., retry: RETRY_POLICIES.chainStep };
 * ```
 */
export const RETRY_POLICIES = {
  /**
   * Forwarding and recording (forward rules, ledger, event log, cluster queues): late beats lost,
   * so EventBridge's own maximum.
   */
  durable: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 },
  /**
   * A step of the chain: six hours covers a regional incident; an older event is dead-lettered for
   * an operator to redrive rather than acting on a state that has probably moved on.
   */
  chainStep: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 21_600 },
  /** A notification is stale after an hour: past that, the ledger and the event log still tell. */
  notification: { maximumRetryAttempts: 24, maximumEventAgeSeconds: 3_600 },
} as const satisfies Readonly<Record<string, RetryPolicy>>;

/**
 * Lists what is wrong with a retry policy against EventBridge's bounds; empty when it is valid.
 *
 * @example
 * ```ts
 * const problems = retryPolicyProblems({ maximumRetryAttempts: 200, maximumEventAgeSeconds: 60 });
 * // ["maximumRetryAttempts is 200; use a whole number from 0 to 185"]
 * ```
 */
export function retryPolicyProblems(policy: RetryPolicy): string[] {
  const problems: string[] = [];
  const attempts = policy.maximumRetryAttempts;
  if (
    !Number.isInteger(attempts) ||
    attempts < RETRY_LIMITS.minRetryAttempts ||
    attempts > RETRY_LIMITS.maxRetryAttempts
  ) {
    problems.push(
      `maximumRetryAttempts is ${attempts}; use a whole number from ${RETRY_LIMITS.minRetryAttempts} to ${RETRY_LIMITS.maxRetryAttempts}`,
    );
  }
  const age = policy.maximumEventAgeSeconds;
  if (
    !Number.isInteger(age) ||
    age < RETRY_LIMITS.minEventAgeSeconds ||
    age > RETRY_LIMITS.maxEventAgeSeconds
  ) {
    problems.push(
      `maximumEventAgeSeconds is ${age}; use a whole number of seconds from ${RETRY_LIMITS.minEventAgeSeconds} to ${RETRY_LIMITS.maxEventAgeSeconds}`,
    );
  }
  return problems;
}
