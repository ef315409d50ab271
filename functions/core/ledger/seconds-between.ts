/**
 * Whole seconds from one ISO time to another, never negative (clocks of different hosts may
 * disagree by a little).
 *
 * @example
 * ```ts
 * secondsBetween("2026-03-01T12:00:00Z", "2026-03-01T12:02:05Z"); // 125
 * ```
 */
export function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}
