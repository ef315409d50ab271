import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two byte strings in time that does not depend on where they differ. Both sides are hashed
 * with SHA-256 first, so `timingSafeEqual` always sees two 32-byte buffers and the comparison does not
 * reveal the expected length either.
 *
 * @example
 * ```ts
 * constantTimeEqual(Buffer.from(given), Buffer.from(expected)); // true or false
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right);
}
