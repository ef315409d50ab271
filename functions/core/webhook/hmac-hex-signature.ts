import { createHmac } from "node:crypto";
import { constantTimeEqual } from "./constant-time-equal.js";
import type { SignatureCheck } from "./signature-check.js";

/** Options for {@link verifyHmacHexSignature}. */
export interface VerifyHmacHexSignatureOptions {
  /** The signature header's value, if the request had one. */
  readonly signature: string | undefined;
  /** What precedes the hex digest: `"sha256="` for GitHub and Bitbucket, `""` for Gitea and Forgejo. */
  readonly prefix: string;
  /** The request body exactly as received. */
  readonly rawBody: Uint8Array;
  /** The webhook secrets any of which may have signed the body (more than one while rotating). */
  readonly secrets: readonly string[];
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * The lower-case hex HMAC-SHA256 of a body under a secret, as GitHub (after `sha256=`), Bitbucket Cloud
 * (after `sha256=`), Gitea and Forgejo (bare) send it.
 *
 * @example
 * ```ts
 * const header = `sha256=${signHmacSha256Hex("It's a Secret to Everybody", Buffer.from("Hello, World!"))}`;
 * ```
 */
export function signHmacSha256Hex(secret: string, rawBody: Uint8Array): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

/**
 * Checks a hex HMAC-SHA256 signature header against the raw body, in constant time. Every secret is
 * tried (no early exit), so the time taken does not tell which secret, if any, matched.
 *
 * @example
 * ```ts
 * const check = verifyHmacHexSignature({
 *   signature: headerOf(headers, "x-hub-signature-256"),
 *   prefix: "sha256=",
 *   rawBody,
 *   secrets: ["It's a Secret to Everybody"],
 * });
 * if (!check.valid) return reject(401, check.problem);
 * ```
 */
export function verifyHmacHexSignature(options: VerifyHmacHexSignatureOptions): SignatureCheck {
  const { signature, prefix, rawBody, secrets } = options;
  if (secrets.length === 0) return { valid: false, problem: "no-secret" };
  if (signature === undefined) return { valid: false, problem: "missing" };
  if (signature.slice(0, prefix.length).toLowerCase() !== prefix)
    return { valid: false, problem: "malformed" };
  const hex = signature.slice(prefix.length);
  if (!HEX_SHA256.test(hex)) return { valid: false, problem: "malformed" };
  const given = Buffer.from(hex, "hex");
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(rawBody).digest();
    matched = constantTimeEqual(given, expected) || matched;
  }
  return matched ? { valid: true } : { valid: false, problem: "mismatch" };
}
