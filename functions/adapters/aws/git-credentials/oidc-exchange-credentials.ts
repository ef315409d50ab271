import { repositoryPathOf } from "../../../core/credentials/repository-path.js";
import type { Clock } from "../../../core/ports/clock.js";
import type { GitCredential, GitCredentialsProvider } from "../../../core/ports/git-credentials.js";
import type { WebIdentityTokenSource } from "./sts-web-identity-token.js";
import { exchangeToken } from "./token-exchange-client.js";

/** Options of {@link OidcExchangeCredentials}. */
export interface OidcExchangeCredentialsOptions {
  /** Where the workload's JWT comes from: `StsWebIdentityToken` on AWS, the local issuer locally. */
  readonly webIdentityToken: WebIdentityTokenSource;
  /** The RFC 8693 token endpoint (config: `credentials.exchangeUrl`, resolved when `local:`). */
  readonly exchangeUrl: string;
  /** The `scope` sent in the exchange (config: `credentials.scope`). @default - none */
  readonly scope?: string;
  /** How the broker names a repository. @default repositoryPathOf - `acme/deploy` */
  readonly repositoryOf?: (repoUrl: string) => string;
  /** The user name git sends with the token. @default "x-access-token" */
  readonly username?: string;
  readonly clock: Clock;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * The `oidc-exchange` provider (DESIGN §3): a JWT for the function's own identity (STS
 * `GetWebIdentityToken`), exchanged (RFC 8693) at a broker that trusts it for a token scoped to
 * the repository and valid minutes. No secret is stored anywhere.
 *
 * @example
 * ```ts
 * const provider = new OidcExchangeCredentials({
 *   webIdentityToken: new StsWebIdentityToken({ client: sts, audience: config.audience, durationSeconds: config.tokenLifetimeSeconds }),
 *   exchangeUrl: config.exchangeUrl,
 *   clock: systemClock,
 * });
 * ```
 */
export class OidcExchangeCredentials implements GitCredentialsProvider {
  readonly kind = "oidc-exchange";
  readonly #options: OidcExchangeCredentialsOptions;

  constructor(options: OidcExchangeCredentialsOptions) {
    this.#options = options;
  }

  async credentials(repoUrl: string): Promise<GitCredential> {
    const options = this.#options;
    const repository = (options.repositoryOf ?? repositoryPathOf)(repoUrl);
    const subjectToken = await options.webIdentityToken.token(repoUrl);
    return exchangeToken({
      kind: this.kind,
      exchangeUrl: options.exchangeUrl,
      subjectToken,
      repoUrl,
      repository,
      clock: options.clock,
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  }
}
