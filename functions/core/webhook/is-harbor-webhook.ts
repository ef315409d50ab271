import { detectWebhookSource } from "./detect-webhook-source.js";
import { headerOf, type WebhookHeaders } from "./header-of.js";

/**
 * Tells a Harbor notification by its headers: Harbor sends no event header of its own, only the
 * webhook policy's Auth Header as `Authorization`. So a request that names no git host and carries
 * an `Authorization` header is taken for Harbor's (and is then refused unless that header is the
 * Harbor secret).
 *
 * @example
 * ```ts
 * isHarborWebhook({ authorization: "s3cr3t", "content-type": "application/json" }); // true
 * isHarborWebhook({ "x-github-event": "push", authorization: "s3cr3t" }); // false
 * ```
 */
export function isHarborWebhook(headers: WebhookHeaders): boolean {
  return detectWebhookSource(headers) === undefined && headerOf(headers, "authorization") !== undefined;
}
