import * as z from "zod";
import type { Clock } from "../../../core/ports/clock.js";
import type { GitCredential } from "../../../core/ports/git-credentials.js";
import { credentialsDenied, credentialsUnavailable, withoutSecrets } from "./credentials-error.js";

/** RFC 8693 identifiers the exchange sends. */
export const TOKEN_EXCHANGE_GRANT = {
  grantType: "urn:ietf:params:oauth:grant-type:token-exchange",
  jwt: "urn:ietf:params:oauth:token-type:jwt",
  accessToken: "urn:ietf:params:oauth:token-type:access_token",
} as const;

/** A successful RFC 8693 answer (section 2.2.1); `expires_in` is only recommended. */
const exchangeResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  issued_token_type: z.string().optional(),
  expires_in: z.number().positive().optional(),
  scope: z.string().optional(),
});

/** An RFC 6749 section 5.2 error answer. */
const oauthError = z.object({
  error: z.string().min(1),
  error_description: z.string().optional(),
});

/** Options of {@link exchangeToken}. */
export interface ExchangeTokenOptions {
  /** The provider asking, for errors (`oidc-exchange`). */
  readonly kind: string;
  /** The token endpoint. */
  readonly exchangeUrl: string;
  /** The workload's JWT (from STS `GetWebIdentityToken`, or the local issuer). */
  readonly subjectToken: string;
  /** The repository the token is for: sent as `resource`. */
  readonly repoUrl: string;
  /** The repository as the broker names it (`acme/deploy`): sent as `audience`. */
  readonly repository: string;
  /** The `scope` to ask for. @default - none: what the broker grants */
  readonly scope?: string;
  /** The user name git sends with the token. @default "x-access-token" */
  readonly username?: string;
  readonly clock: Clock;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Gives up on a broker that does not answer. @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * The RFC 8693 token exchange: posts the workload's JWT (`subject_token_type` jwt) to the broker
 * with the repository as `audience` and `resource`, and turns the access token into git
 * credentials that expire `expires_in` seconds from now. An RFC 6749 error answer is a
 * `GIT_CREDENTIALS_DENIED` naming `error` and `error_description` (retryable only for
 * `temporarily_unavailable` and `server_error`); a broker that cannot be reached, answers 5xx or
 * an unparsable body is `GIT_CREDENTIALS_UNAVAILABLE`. No token appears in either.
 *
 * @example
 * ```ts
 * const credential = await exchangeToken({ kind: "oidc-exchange", exchangeUrl, subjectToken, repoUrl, repository: "acme/deploy", clock });
 * ```
 */
export async function exchangeToken(options: ExchangeTokenOptions): Promise<GitCredential> {
  const failure = { kind: options.kind, repoUrl: options.repoUrl };
  const form = new URLSearchParams({
    grant_type: TOKEN_EXCHANGE_GRANT.grantType,
    subject_token: options.subjectToken,
    subject_token_type: TOKEN_EXCHANGE_GRANT.jwt,
    requested_token_type: TOKEN_EXCHANGE_GRANT.accessToken,
    audience: options.repository,
    resource: options.repoUrl,
  });
  if (options.scope !== undefined) form.set("scope", options.scope);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.exchangeUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw credentialsUnavailable({
      ...failure,
      detail: `the token exchange at ${options.exchangeUrl} could not be reached (${error instanceof Error ? error.name : "error"})`,
      fix: "check exchangeUrl and the network path to it; it will be retried",
      retryable: true,
      cause: error,
    });
  }
  const body = await response.json().catch(() => undefined);
  if (response.ok) {
    const answer = exchangeResponse.safeParse(body);
    if (answer.success) {
      const lifetime = answer.data.expires_in;
      return {
        username: options.username ?? "x-access-token",
        password: answer.data.access_token,
        ...(lifetime === undefined
          ? {}
          : { expiresAt: new Date(options.clock.now().getTime() + lifetime * 1000) }),
      };
    }
  }
  const refusal = oauthError.safeParse(body);
  if (!response.ok && refusal.success && response.status < 500) {
    const { error, error_description: description } = refusal.data;
    throw credentialsDenied({
      ...failure,
      status: response.status,
      detail: `${error}${description === undefined ? "" : `: ${withoutSecrets(description, [options.subjectToken])}`}`,
      fix: `check that the broker trusts this workload for ${options.repository} (audience, scope, trust policy)`,
      data: { error, exchangeUrl: options.exchangeUrl },
      retryable: error === "temporarily_unavailable" || error === "server_error",
    });
  }
  throw credentialsUnavailable({
    ...failure,
    status: response.status,
    detail: response.ok
      ? `the token exchange at ${options.exchangeUrl} answered without an access_token and token_type`
      : `the token exchange at ${options.exchangeUrl} failed`,
    fix: response.ok ? "check that exchangeUrl is an RFC 8693 token endpoint" : "it will be retried",
    data: { exchangeUrl: options.exchangeUrl },
    retryable: !response.ok && (response.status >= 500 || response.status === 429),
  });
}
