import type { WebhookSource } from "./detect-webhook-source.js";
import { headerOf, type WebhookHeaders } from "./header-of.js";

/** Options for {@link decodeWebhookBody}. */
export interface DecodeWebhookBodyOptions {
  /** The sender, from `detectWebhookSource`. */
  readonly source: WebhookSource;
  /** The request headers (for `Content-Type`). */
  readonly headers: WebhookHeaders;
  /** The request body exactly as received (already checked against its signature). */
  readonly rawBody: Uint8Array;
}

/** The decoded payload, or why the body cannot be read (400 malformed, 415 wrong content type). */
export type DecodedWebhookBody =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly status: 400 | 415; readonly reason: string };

const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";

/**
 * Reads a webhook body as JSON. GitHub, Gitea and Forgejo can also be set to send
 * `application/x-www-form-urlencoded` with the JSON in a `payload` field: that form is accepted and
 * decoded too (the signature covers the form body, which has already been checked), so a webhook
 * left on that setting still works. Any other content type is answered 415 with the fix. Malformed
 * JSON is answered 400 with the parser's own message.
 *
 * @example
 * ```ts
 * const decoded = decodeWebhookBody({ source, headers, rawBody });
 * if (!decoded.ok) return { kind: "rejected", status: decoded.status, reason: decoded.reason };
 * ```
 */
export function decodeWebhookBody(options: DecodeWebhookBodyOptions): DecodedWebhookBody {
  const { source, headers, rawBody } = options;
  const contentType = headerOf(headers, "content-type");
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  const formAllowed = source.provider === "github" || source.provider === "gitea";
  const text = Buffer.from(rawBody).toString("utf8");
  if (mediaType === JSON_TYPE) return parseJson(text, `${source.host} body`);
  if (mediaType === FORM_TYPE && formAllowed) {
    const payload = new URLSearchParams(text).get("payload");
    if (payload === null) {
      return {
        ok: false,
        status: 400,
        reason: `${source.host} form body has no payload field; set the webhook's content type to application/json`,
      };
    }
    return parseJson(payload, `${source.host} form field payload`);
  }
  const accepted = formAllowed ? `${JSON_TYPE} (or ${FORM_TYPE} with a payload field)` : JSON_TYPE;
  return {
    ok: false,
    status: 415,
    reason: `${source.host} request has content type ${contentType === undefined ? "(none)" : `'${mediaType?.slice(0, 100)}'`}; Shipline reads ${accepted}: set the webhook's content type to application/json`,
  };
}

function parseJson(text: string, what: string): DecodedWebhookBody {
  try {
    return { ok: true, payload: JSON.parse(text) };
  } catch (error) {
    return { ok: false, status: 400, reason: `${what} is not valid JSON: ${jsonErrorOf(error)}` };
  }
}

/**
 * The parser's message without the excerpt of the body V8 quotes in some messages (`Unexpected token
 * 'x', "<first characters>"... is not valid JSON`), which could hold part of anything in the body.
 */
function jsonErrorOf(error: unknown): string {
  const message = error instanceof Error ? error.message : "unreadable JSON";
  return message.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, "");
}
