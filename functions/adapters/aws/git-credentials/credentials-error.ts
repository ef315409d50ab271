import { ShiplineError } from "../../../core/errors/shipline-error.js";

/** What a credentials failure is about. */
export interface CredentialsFailure {
  /** The provider (`oidc-exchange`, `github-app`, `codecommit`, `token`). */
  readonly kind: string;
  /** The repository the credentials were for. */
  readonly repoUrl: string;
  /** What went wrong, in words safe to log (no token). */
  readonly detail: string;
  /** How to fix it. */
  readonly fix: string;
  /** The HTTP status of the issuer's answer, when there was one. */
  readonly status?: number;
  /** More structured data (never a token). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** True when trying again later may succeed. @default false */
  readonly retryable?: boolean;
  /** The underlying error, for the stack only. */
  readonly cause?: unknown;
}

/** What replaces a secret found in text that goes into an error or a log line. */
export const REDACTED = "[redacted]";

/**
 * The issuer refused to hand out credentials (bad trust, scope, key or permission): a permanent
 * `GIT_CREDENTIALS_DENIED`, unless the failure says a retry may help.
 *
 * @example
 * ```ts
 * throw credentialsDenied({ kind: "oidc-exchange", repoUrl, detail: "invalid_target: no rule ...", fix: "add a trust rule", status: 400 });
 * ```
 */
export function credentialsDenied(failure: CredentialsFailure): ShiplineError {
  return credentialsError("GIT_CREDENTIALS_DENIED", "refused", failure);
}

/**
 * The issuer could not be reached or failed (network, 5xx, throttling, an answer of the wrong
 * shape): `GIT_CREDENTIALS_UNAVAILABLE`, retryable unless the failure says otherwise.
 *
 * @example
 * ```ts
 * throw credentialsUnavailable({ kind: "github-app", repoUrl, detail: "HTTP 502", fix: "it will be retried", retryable: true });
 * ```
 */
export function credentialsUnavailable(failure: CredentialsFailure): ShiplineError {
  return credentialsError("GIT_CREDENTIALS_UNAVAILABLE", "could not be obtained", failure);
}

/**
 * Replaces every occurrence of each secret in `text` (an issuer's error description, say) by
 * {@link REDACTED}, so that an issuer echoing a token cannot leak it into an error.
 *
 * @example
 * ```ts
 * withoutSecrets("bad token eyJ...", [subjectToken]); // "bad token [redacted]"
 * ```
 */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  return result;
}

function credentialsError(code: string, verb: string, failure: CredentialsFailure): ShiplineError {
  const status = failure.status === undefined ? "" : ` (HTTP ${failure.status})`;
  return new ShiplineError({
    code,
    message: `${failure.kind} git credentials for ${failure.repoUrl} ${verb}${status}: ${failure.detail}; ${failure.fix}`,
    data: {
      provider: failure.kind,
      repository: failure.repoUrl,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...failure.data,
    },
    retryable: failure.retryable ?? false,
    ...(failure.cause === undefined ? {} : { cause: failure.cause }),
  });
}
