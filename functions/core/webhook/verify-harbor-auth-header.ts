import { constantTimeEqual } from "./constant-time-equal.js";
import type { SignatureCheck } from "./signature-check.js";

/** Options for {@link verifyHarborAuthHeader}. */
export interface VerifyHarborAuthHeaderOptions {
  /** The `Authorization` header's value, if the request had one. */
  readonly header: string | undefined;
  /** The Harbor webhook secrets, any of which may be the webhook policy's Auth Header. */
  readonly secrets: readonly string[];
}

/**
 * Checks the Auth Header of a Harbor webhook policy, which Harbor sends verbatim as `Authorization`:
 * the header must be one of the secrets, alone or as `Bearer <secret>`. It signs nothing (like
 * GitLab's token it proves only that the sender knows the secret), so it needs HTTPS. Every
 * comparison runs in constant time and every secret is tried.
 *
 * @example
 * ```ts
 * verifyHarborAuthHeader({ header: headerOf(headers, "authorization"), secrets: ["s3cr3t"] }); // { valid: true } for "s3cr3t"
 * ```
 */
export function verifyHarborAuthHeader(options: VerifyHarborAuthHeaderOptions): SignatureCheck {
  const { header, secrets } = options;
  if (secrets.length === 0) return { valid: false, problem: "no-secret" };
  if (header === undefined) return { valid: false, problem: "missing" };
  const given = Buffer.from(header, "utf8");
  let matched = false;
  for (const secret of secrets) {
    matched = constantTimeEqual(given, Buffer.from(secret, "utf8")) || matched;
    matched = constantTimeEqual(given, Buffer.from(`Bearer ${secret}`, "utf8")) || matched;
  }
  return matched ? { valid: true } : { valid: false, problem: "mismatch" };
}
