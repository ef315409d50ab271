/**
 * How long a `Retry-After` header asks to wait, in milliseconds: a number of seconds or an HTTP
 * date (RFC 9110 §10.2.3). `undefined` when the header is absent or unreadable; a date in the past
 * reads as 0.
 *
 * @example
 * ```ts
 * retryDelayMs("3", Date.now()); // 3000
 * retryDelayMs("Wed, 21 Oct 2026 07:28:00 GMT", Date.now());
 * ```
 */
export function retryDelayMs(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
