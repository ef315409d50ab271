import type { WebhookSource } from "./detect-webhook-source.js";
import { headerOf, type WebhookHeaders } from "./header-of.js";
import { verifyHmacHexSignature } from "./hmac-hex-signature.js";
import type { SignatureCheck } from "./signature-check.js";
import {
  DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
  signingKeyOf,
  verifyStandardWebhookSignature,
} from "./standard-webhook-signature.js";
import { verifyGitlabToken } from "./verify-gitlab-token.js";

/** Options for {@link verifyWebhookSignature}. */
export interface VerifyWebhookSignatureOptions {
  /** The sender, from {@link detectWebhookSource}. */
  readonly source: WebhookSource;
  /** The request headers. */
  readonly headers: WebhookHeaders;
  /** The request body exactly as received. */
  readonly rawBody: Uint8Array;
  /** The webhook secrets any of which may be in use (more than one while rotating). */
  readonly secrets: readonly string[];
  /** The current time (GitLab's signing token is timestamped). */
  readonly now: Date;
  /** @default - {@link DEFAULT_TIMESTAMP_TOLERANCE_SECONDS} */
  readonly toleranceSeconds?: number;
}

/** The outcome of {@link verifyWebhookSignature}: valid, or a reason that is safe to log. */
export type WebhookSignatureVerdict =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: string };

/**
 * Checks a request's signature the way its sender signs it, over the raw body, in constant time:
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`;
 * - Bitbucket Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256>`;
 * - Gitea / Forgejo: `X-Gitea-Signature` / `X-Forgejo-Signature: <hex HMAC-SHA256>` (Forgejo's own
 *   header wins when both are present);
 * - GitLab: the signing token (`webhook-signature`, Standard Webhooks, with a timestamp tolerance) when
 *   the request carries it and a `whsec_` secret is held, else the plain `X-Gitlab-Token`.
 * A reason names the header and the fix, never the signature or the secret.
 *
 * @example
 * ```ts
 * const verdict = verifyWebhookSignature({ source, headers, rawBody, secrets, now: clock.now() });
 * if (!verdict.valid) return { kind: "rejected", status: 401, reason: verdict.reason };
 * ```
 */
export function verifyWebhookSignature(options: VerifyWebhookSignatureOptions): WebhookSignatureVerdict {
  const { source, headers, rawBody, secrets } = options;
  switch (source.provider) {
    case "github":
      return verdictOf(
        verifyHmacHexSignature({
          signature: headerOf(headers, "x-hub-signature-256"),
          prefix: "sha256=",
          rawBody,
          secrets,
        }),
        { host: source.host, header: "X-Hub-Signature-256", form: "sha256=<64 hex digits>" },
      );
    case "bitbucket":
      return verdictOf(
        verifyHmacHexSignature({
          signature: headerOf(headers, "x-hub-signature"),
          prefix: "sha256=",
          rawBody,
          secrets,
        }),
        { host: source.host, header: "X-Hub-Signature", form: "sha256=<64 hex digits>" },
      );
    case "gitea": {
      const forgejo = headerOf(headers, "x-forgejo-signature");
      const header = forgejo === undefined ? "X-Gitea-Signature" : "X-Forgejo-Signature";
      return verdictOf(
        verifyHmacHexSignature({
          signature: forgejo ?? headerOf(headers, "x-gitea-signature"),
          prefix: "",
          rawBody,
          secrets,
        }),
        { host: source.host, header, form: "<64 hex digits>" },
      );
    }
    case "gitlab":
      return verifyGitlab(options);
  }
}

function verifyGitlab(options: VerifyWebhookSignatureOptions): WebhookSignatureVerdict {
  const { headers, rawBody, secrets, now } = options;
  const signature = headerOf(headers, "webhook-signature");
  const token = headerOf(headers, "x-gitlab-token");
  const holdsSigningKey = secrets.some((secret) => signingKeyOf(secret) !== undefined);
  if (signature !== undefined && (holdsSigningKey || token === undefined)) {
    const tolerance = options.toleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS;
    return verdictOf(
      verifyStandardWebhookSignature({
        id: headerOf(headers, "webhook-id"),
        timestamp: headerOf(headers, "webhook-timestamp"),
        signature,
        rawBody,
        secrets,
        now,
        toleranceSeconds: tolerance,
      }),
      {
        host: "GitLab",
        header: "webhook-signature",
        form: "v1,<base64>",
        tolerance,
        secretForm: "a GitLab signing token (whsec_<base64>)",
        missing:
          "GitLab request lacks webhook-id or webhook-timestamp beside webhook-signature; check that a proxy does not drop headers",
        malformed: (detail) =>
          detail === "webhook-timestamp"
            ? "webhook-timestamp is not Unix seconds; check that the request comes from GitLab unchanged"
            : "webhook-signature holds no v1,<base64> signature; check that the request comes from GitLab unchanged",
      },
    );
  }
  return verdictOf(verifyGitlabToken({ token, secrets }), {
    host: "GitLab",
    header: "X-Gitlab-Token",
    form: "the secret token",
    mismatch:
      "X-Gitlab-Token is not the secret token Shipline holds; set the same secret token on the GitLab webhook and in Shipline",
  });
}

interface HeaderFacts {
  readonly host: string;
  readonly header: string;
  readonly form: string;
  readonly tolerance?: number;
  readonly secretForm?: string;
  readonly missing?: string;
  readonly malformed?: (detail: string | undefined) => string;
  readonly mismatch?: string;
}

function verdictOf(check: SignatureCheck, facts: HeaderFacts): WebhookSignatureVerdict {
  if (check.valid) return { valid: true };
  const { host, header, form } = facts;
  switch (check.problem) {
    case "no-secret":
      return {
        valid: false,
        reason: `Shipline holds no webhook secret usable for ${header}; store ${facts.secretForm ?? "the webhook secret"} in Shipline's webhook secret`,
      };
    case "missing":
      return {
        valid: false,
        reason:
          facts.missing ??
          `${host} request has no ${header} header; set a secret on the ${host} webhook, the same one Shipline holds`,
      };
    case "malformed":
      return {
        valid: false,
        reason:
          facts.malformed?.(check.detail) ??
          `${header} is not of the form ${form}; check that the request comes from ${host} unchanged`,
      };
    case "stale":
      return {
        valid: false,
        reason: `webhook-timestamp is ${check.detail ?? "too far"} away from now, more than the ${facts.tolerance ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS} seconds allowed; a delivery cannot be replayed later (check the sender's clock, or redeliver it from ${host})`,
      };
    case "mismatch":
      return {
        valid: false,
        reason:
          facts.mismatch ??
          `${header} does not match the body under Shipline's webhook secret; set the same secret on the ${host} webhook and in Shipline`,
      };
  }
}
