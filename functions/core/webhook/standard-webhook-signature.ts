import { createHmac } from "node:crypto";
import { ShiplineError } from "../errors/shipline-error.js";
import { constantTimeEqual } from "./constant-time-equal.js";
import type { SignatureCheck } from "./signature-check.js";

/** The prefix of a Standard Webhooks signing secret (GitLab's signing token has this form). */
export const SIGNING_SECRET_PREFIX = "whsec_";

/** How far a `webhook-timestamp` may be from now, by default: five minutes either way. */
export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;

/** The three headers of a Standard Webhooks delivery. */
export interface StandardWebhookHeaders {
  /** `webhook-id`: the message id (GitLab sets it to the `Idempotency-Key`). */
  readonly id: string | undefined;
  /** `webhook-timestamp`: Unix seconds when the message was signed. */
  readonly timestamp: string | undefined;
  /** `webhook-signature`: one or more space-separated `v1,<base64>` signatures. */
  readonly signature: string | undefined;
}

/** Options for {@link verifyStandardWebhookSignature}. */
export interface VerifyStandardWebhookSignatureOptions extends StandardWebhookHeaders {
  /** The request body exactly as received. */
  readonly rawBody: Uint8Array;
  /** Candidate secrets; only those of the form `whsec_<base64 key>` are used. */
  readonly secrets: readonly string[];
  /** The current time. */
  readonly now: Date;
  /** @default - {@link DEFAULT_TIMESTAMP_TOLERANCE_SECONDS} */
  readonly toleranceSeconds?: number;
}

/** Options for {@link signStandardWebhook}. */
export interface SignStandardWebhookOptions {
  /** The `webhook-id`. */
  readonly id: string;
  /** Unix seconds. */
  readonly timestamp: number;
  /** The body to sign. */
  readonly rawBody: Uint8Array;
  /** A `whsec_<base64 key>` secret. */
  readonly secret: string;
}

const TIMESTAMP = /^\d{1,12}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The HMAC key of a `whsec_<base64>` secret, or undefined when the secret is not of that form.
 *
 * @example
 * ```ts
 * signingKeyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); // a 24-byte Buffer
 * ```
 */
export function signingKeyOf(secret: string): Buffer | undefined {
  if (!secret.startsWith(SIGNING_SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SIGNING_SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) return undefined;
  const key = Buffer.from(encoded, "base64");
  return key.length === 0 ? undefined : key;
}

/**
 * Computes a `webhook-signature` value (`v1,<base64>`) the way a Standard Webhooks sender such as GitLab
 * does: HMAC-SHA256 of `${id}.${timestamp}.${body}` under the decoded secret.
 *
 * @example
 * ```ts
 * signStandardWebhook({ id: "msg_1", timestamp: 1614265330, rawBody, secret: "whsec_..." }); // "v1,g0hM..."
 * ```
 */
export function signStandardWebhook(options: SignStandardWebhookOptions): string {
  const key = signingKeyOf(options.secret);
  if (key === undefined) {
    throw new ShiplineError({
      code: "WEBHOOK_SECRET_INVALID",
      message: "the signing secret is not of the form whsec_<base64 key>; copy the whole signing token",
      retryable: false,
    });
  }
  return `v1,${digestOf(key, options.id, String(options.timestamp), options.rawBody).toString("base64")}`;
}

/**
 * Checks a Standard Webhooks signature (GitLab's signing token): the timestamp must be within the
 * tolerance of `now` (which stops a captured delivery from being replayed later), and one of the
 * space-separated `v1,` signatures must match under one of the `whsec_` secrets. Comparisons run in
 * constant time and do not stop at the first match.
 *
 * @example
 * ```ts
 * const check = verifyStandardWebhookSignature({
 *   id: headerOf(headers, "webhook-id"),
 *   timestamp: headerOf(headers, "webhook-timestamp"),
 *   signature: headerOf(headers, "webhook-signature"),
 *   rawBody,
 *   secrets,
 *   now: clock.now(),
 * });
 * ```
 */
export function verifyStandardWebhookSignature(
  options: VerifyStandardWebhookSignatureOptions,
): SignatureCheck {
  const keys = options.secrets.map(signingKeyOf).filter((key): key is Buffer => key !== undefined);
  if (keys.length === 0) return { valid: false, problem: "no-secret" };
  const { id, timestamp, signature } = options;
  if (id === undefined || timestamp === undefined || signature === undefined) {
    return { valid: false, problem: "missing" };
  }
  if (!TIMESTAMP.test(timestamp)) return { valid: false, problem: "malformed", detail: "webhook-timestamp" };
  const tolerance = options.toleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS;
  const skew = Math.abs(options.now.getTime() / 1000 - Number(timestamp));
  if (skew > tolerance) return { valid: false, problem: "stale", detail: `${Math.round(skew)} seconds` };
  const given = signature
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => entry.slice(3))
    .filter((encoded) => BASE64.test(encoded))
    .map((encoded) => Buffer.from(encoded, "base64"));
  if (given.length === 0) return { valid: false, problem: "malformed", detail: "webhook-signature" };
  let matched = false;
  for (const key of keys) {
    const expected = digestOf(key, id, timestamp, options.rawBody);
    for (const candidate of given) matched = constantTimeEqual(candidate, expected) || matched;
  }
  return matched ? { valid: true } : { valid: false, problem: "mismatch" };
}

function digestOf(key: Buffer, id: string, timestamp: string, rawBody: Uint8Array): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(rawBody).digest();
}
