import { createHash } from "node:crypto";
import { headerOf, type WebhookHeaders } from "./header-of.js";
import type { WebhookProvider } from "./webhook-classification.js";

/**
 * The headers that carry a delivery id, per provider, in order of preference. Each stays the same when
 * the host redelivers the same event, which is what makes a replay recognisable:
 * - GitHub `X-GitHub-Delivery`; Gitea `X-Gitea-Delivery`, Forgejo `X-Forgejo-Delivery`;
 * - Bitbucket Cloud `X-Request-UUID` (`X-Hook-UUID` names the webhook, the same for every delivery, so
 *   it must not be used); Bitbucket Server / Data Center `X-Request-Id`;
 * - GitLab `Idempotency-Key` (GitLab 17.4 and later; the signing-token `webhook-id` has the same value),
 *   else `X-Gitlab-Event-UUID`.
 */
export const DELIVERY_ID_HEADERS: Readonly<Record<WebhookProvider, readonly string[]>> = {
  github: ["x-github-delivery"],
  gitea: ["x-forgejo-delivery", "x-gitea-delivery"],
  bitbucket: ["x-request-uuid", "x-request-id"],
  gitlab: ["idempotency-key", "webhook-id", "x-gitlab-event-uuid"],
};

/** A delivery id safe as a key and in logs: 1 to 128 of `[A-Za-z0-9._:-]`. */
export const SAFE_DELIVERY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The delivery id of a request: its provider's delivery header, or, when the host sends none, the
 * SHA-256 of the body (a redelivery carries the same body). An id that is too long or has characters
 * outside `[A-Za-z0-9._:-]` is replaced by its hash, so that ids are always safe as keys and in logs.
 *
 * @example
 * ```ts
 * deliveryIdOf({ provider: "github", headers: { "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958" }, rawBody });
 * // "72d3162e-cc78-11e3-81ab-4c9367dc0958"
 * ```
 */
export function deliveryIdOf(options: {
  readonly provider: WebhookProvider;
  readonly headers: WebhookHeaders;
  readonly rawBody: Uint8Array;
}): string {
  for (const name of DELIVERY_ID_HEADERS[options.provider]) {
    const value = headerOf(options.headers, name);
    if (value === undefined) continue;
    return SAFE_DELIVERY_ID.test(value) ? value : `sha256-${sha256Hex(value)}`;
  }
  return `body-sha256-${sha256Hex(options.rawBody)}`;
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
