/** How long to wait between delivery attempts. */
export interface BackoffOptions {
  /** Delay cap before jitter for the first retry. */
  readonly baseDelayMs: number;
  /** Largest delay before jitter. */
  readonly maxDelayMs: number;
  /** A number in [0, 1), injectable for tests. */
  readonly random: () => number;
}

/**
 * Exponential backoff with full jitter: after the n-th failed attempt, wait a random time between 0
 * and min(maxDelayMs, baseDelayMs × 2^(n-1)).
 *
 * @example
 * ```ts
 * const delay = backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 30_000, random: Math.random });
 * ```
 */
export function backoffDelay(failedAttempts: number, options: BackoffOptions): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(exponent, 52));
  return Math.floor(options.random() * ceiling);
}
