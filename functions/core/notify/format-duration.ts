/**
 * A duration in seconds as people read it: `45s`, `1m 57s`, `2h 5m`. Fractions of a second are
 * rounded; a negative or non-finite duration reads `0s`.
 *
 * @example
 * ```ts
 * formatDuration(117); // "1m 57s"
 * ```
 */
export function formatDuration(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return rest > 0 ? `${minutes}m ${rest}s` : `${minutes}m`;
  return `${rest}s`;
}
