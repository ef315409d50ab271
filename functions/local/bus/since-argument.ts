import { UsageError } from "../cli/command.js";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a `--since` value: an ISO 8601 time, or a duration back from `now` such as `90s`, `10m`,
 * `2h` or `1d`. Throws a {@link UsageError} for anything else.
 *
 * @example
 * ```ts
 * parseSince("10m", new Date("2026-01-01T10:10:00Z")); // 2026-01-01T10:00:00Z
 * ```
 */
export function parseSince(value: string, now: Date): Date {
  const duration = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (duration) return new Date(now.getTime() - Number(duration[1]) * (UNIT_MS[duration[2] ?? "s"] ?? 1000));
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) {
    throw new UsageError(`--since '${value}' is neither an ISO time nor a duration like 30s, 10m, 2h or 1d`);
  }
  return time;
}
