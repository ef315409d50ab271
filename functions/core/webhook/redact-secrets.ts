import { headerOf, type WebhookHeaders } from "./header-of.js";
import { SIGNING_SECRET_PREFIX } from "./standard-webhook-signature.js";

/** The headers that carry a signature or a token, whose values must never reach a log. */
export const SIGNATURE_HEADERS = [
  "x-hub-signature-256",
  "x-hub-signature",
  "x-gitea-signature",
  "x-forgejo-signature",
  "x-gitlab-token",
  "webhook-signature",
] as const;

/** What replaces a secret or a signature in text. */
export const REDACTED = "[redacted]";

/**
 * The values that must not appear in any text Shipline writes about a request: the secrets (and the
 * key part of a `whsec_` secret), and every signature or token header with its parts (the hex after
 * `sha256=`, each `v1,` signature).
 *
 * @example
 * ```ts
 * const sensitive = sensitiveValuesOf(headers, secrets);
 * ```
 */
export function sensitiveValuesOf(headers: WebhookHeaders, secrets: readonly string[]): string[] {
  const values: string[] = [];
  for (const secret of secrets) {
    values.push(secret);
    if (secret.startsWith(SIGNING_SECRET_PREFIX)) values.push(secret.slice(SIGNING_SECRET_PREFIX.length));
  }
  for (const name of SIGNATURE_HEADERS) {
    const value = headerOf(headers, name);
    if (value === undefined) continue;
    values.push(value);
    for (const part of value.split(/[\s,=]+/)) if (part.length >= 8) values.push(part);
  }
  return values;
}

/**
 * Replaces every occurrence of the given values in a text with {@link REDACTED}, in one pass (longest
 * value first), so that a message can be logged and returned whatever it quotes.
 *
 * @example
 * ```ts
 * redactSecrets("token s3cr3t is wrong", ["s3cr3t"]); // "token [redacted] is wrong"
 * ```
 */
export function redactSecrets(text: string, values: readonly string[]): string {
  const present = [...new Set(values)].filter((value) => value.length > 0 && text.includes(value));
  if (present.length === 0) return text;
  present.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(present.map(escapeRegExp).join("|"), "g");
  return text.replace(pattern, REDACTED);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
