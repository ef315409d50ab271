import { createHmac } from "node:crypto";

/**
 * The `X-Hub-Signature-256` value GitHub sends: `sha256=` and the hex HMAC-SHA256 of the exact body
 * bytes under the webhook secret.
 *
 * @example
 * ```ts
 * signWebhookBody("It's a Secret to Everybody", Buffer.from("Hello, World!"));
 * // "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
 * ```
 */
export function signWebhookBody(secret: string, body: Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * The legacy `X-Hub-Signature` value: `sha1=` and the hex HMAC-SHA1 of the body.
 *
 * @example
 * ```ts
 * signWebhookBodySha1(secret, body); // "sha1=…"
 * ```
 */
export function signWebhookBodySha1(secret: string, body: Uint8Array): string {
  return `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
}
