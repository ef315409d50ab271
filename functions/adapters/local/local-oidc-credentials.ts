import * as z from "zod";
import type { Clock } from "../../core/ports/clock.js";
import { credentialsDenied, credentialsUnavailable } from "../aws/git-credentials/credentials-error.js";
import { OidcExchangeCredentials } from "../aws/git-credentials/oidc-exchange-credentials.js";
import type { WebIdentityTokenSource } from "../aws/git-credentials/sts-web-identity-token.js";

/** Options of {@link LocalWebIdentityToken}. */
export interface LocalWebIdentityTokenOptions {
  /** The local issuer's `GetWebIdentityToken` stand-in (`LocalOidcServer.webIdentityTokenEndpoint`). */
  readonly endpoint: string;
  /** The `aud` the exchange expects (config: `credentials.audience`). */
  readonly audience: string;
  /** The JWT's lifetime, 60..3600 (config: `credentials.tokenLifetime`). @default 300 */
  readonly durationSeconds?: number;
  /** The role the local workload runs as; on AWS it comes from the caller's credentials. @default - the issuer's default subject */
  readonly subject?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const stsAnswer = z.object({ WebIdentityToken: z.string().min(1), Expiration: z.string() });
const stsRefusal = z.object({ reason: z.string(), message: z.string() });

/**
 * The workload's JWT from the local issuer's stand-in of STS `GetWebIdentityToken`
 * (`POST /local/sts/web-identity-token`, the same parameters as STS plus `Subject`).
 *
 * @example
 * ```ts
 * const source = new LocalWebIdentityToken({ endpoint: oidc.webIdentityTokenEndpoint, audience: "shipline-token-exchange" });
 * ```
 */
export class LocalWebIdentityToken implements WebIdentityTokenSource {
  readonly #options: LocalWebIdentityTokenOptions;

  constructor(options: LocalWebIdentityTokenOptions) {
    this.#options = options;
  }

  async token(repoUrl: string): Promise<string> {
    const options = this.#options;
    const failure = { kind: "oidc-exchange", repoUrl, data: { audience: options.audience } };
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(options.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          Audience: [options.audience],
          DurationSeconds: options.durationSeconds ?? 300,
          SigningAlgorithm: "RS256",
          ...(options.subject === undefined ? {} : { Subject: options.subject }),
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw credentialsUnavailable({
        ...failure,
        detail: `the local issuer at ${options.endpoint} could not be reached (${error instanceof Error ? error.name : "error"})`,
        fix: "check that the local runtime's OIDC server is running; it will be retried",
        retryable: true,
        cause: error,
      });
    }
    const body = await response.json().catch(() => undefined);
    const answer = stsAnswer.safeParse(body);
    if (response.ok && answer.success) return answer.data.WebIdentityToken;
    const refusal = stsRefusal.safeParse(body);
    if (response.status === 400 && refusal.success) {
      throw credentialsDenied({
        ...failure,
        status: response.status,
        detail: `the local issuer refused a workload token (${refusal.data.reason}: ${refusal.data.message})`,
        fix: "check credentials.audience and tokenLifetime",
      });
    }
    throw credentialsUnavailable({
      ...failure,
      status: response.status,
      detail: "the local issuer did not issue a workload token",
      fix: "it will be retried",
      retryable: true,
    });
  }
}

/** Options of {@link localOidcCredentials}. */
export interface LocalOidcCredentialsOptions extends LocalWebIdentityTokenOptions {
  /** The local RFC 8693 endpoint (`LocalOidcServer.tokenEndpoint`, what `local:oidc-exchange` resolves to). */
  readonly exchangeUrl: string;
  /** The `scope` of the exchange (`read`, `write`). @default - what the trust policy grants */
  readonly scope?: string;
  readonly clock: Clock;
}

/**
 * The local runtime's `oidc-exchange` provider: the same exchange as on AWS, with the workload
 * token from the local issuer instead of STS. Wrap it in `CachedGitCredentials`.
 *
 * @example
 * ```ts
 * const provider = new CachedGitCredentials({
 *   provider: localOidcCredentials({ endpoint: oidc.webIdentityTokenEndpoint, exchangeUrl: oidc.tokenEndpoint, audience: oidc.exchangeAudience, subject: WRITER_ROLE, clock }),
 *   clock,
 * });
 * ```
 */
export function localOidcCredentials(options: LocalOidcCredentialsOptions): OidcExchangeCredentials {
  return new OidcExchangeCredentials({
    webIdentityToken: new LocalWebIdentityToken(options),
    exchangeUrl: options.exchangeUrl,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
    clock: options.clock,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}
