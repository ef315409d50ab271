/**
 * Options for {@link ShiplineError}.
 */
export interface ShiplineErrorOptions {
  /** Stable, machine-readable code callers branch on (never on message text). */
  readonly code: string;
  /** What was wrong, the bad value and how to fix it. Never contains a token. */
  readonly message: string;
  /** Structured details for logs and `Step Failed` events. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** True when trying again later may succeed (network, throttling, conflicts). */
  readonly retryable?: boolean;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * The one error type of Shipline. Every failure carries a literal `code`, structured `data`
 * and a `retryable` flag: a retryable error is rethrown so Lambda retries it and then dead-letters
 * it, a permanent one is recorded once as `Step Failed`.
 *
 * @example
 * ```ts
 * throw new ShiplineError({
 *   code: "CONFIG_INVALID",
 *   message: "apps[0].tag: '{latest}' is not a known placeholder; use {sha}, {sha7}, {version}, {branch} or {build}",
 *   data: { key: "apps[0].tag" },
 * });
 * ```
 */
export class ShiplineError extends Error {
  /** Stable, machine-readable code. */
  readonly code: string;
  /** Structured details. */
  readonly data: Readonly<Record<string, unknown>>;
  /** True when trying again later may succeed. */
  readonly retryable: boolean;

  constructor(options: ShiplineErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ShiplineError";
    this.code = options.code;
    this.data = options.data ?? {};
    this.retryable = options.retryable ?? false;
  }
}

/**
 * Tells whether an error should be retried: Shipline errors say so themselves; anything else
 * (an unexpected exception from a library or the runtime) is treated as transient, so that it is
 * retried and finally dead-lettered rather than dropped.
 *
 * @example
 * ```ts
 * if (isRetryable(error)) throw error;
 * ```
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ShiplineError) return error.retryable;
  return true;
}
