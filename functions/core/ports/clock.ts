/**
 * Port for the current time, injected so that use cases and tests agree on "now".
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => new Date("2026-01-01T00:00:00Z") };
 * ```
 */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };
