/** How often and how patiently the writer retries a rejected push. */
export interface RetryPolicy {
  /** Push attempts in all (the first included). */
  readonly maxAttempts: number;
  /** Back-off before the second attempt; doubles each time. */
  readonly baseDelayMs: number;
  /** Longest back-off. */
  readonly maxDelayMs: number;
}

/** The config writer's default: 5 attempts, full jitter on 50 ms doubling up to 1 s. */
export const WRITER_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 1_000 };

/**
 * The back-off after a failed attempt, with "full jitter": a random time between 0 and the
 * exponential delay, so that writers that collided do not collide again in step.
 *
 * @example
 * ```ts
 * retryDelayMs(WRITER_RETRY, 1, Math.random); // 0..100
 * ```
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
