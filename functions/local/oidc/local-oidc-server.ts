import { createServer, type Server } from "node:http";
import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import { createOidcRequestHandler, OIDC_PATHS } from "./oidc-request-handler.js";
import {
  type RepositoryGrant,
  type RepositoryTokenCheck,
  RepositoryTokenVerifier,
} from "./repository-token.js";
import { loadSigningKey, SIGNING_ALGORITHM, type SigningKey } from "./signing-key.js";
import { TOKEN_EXCHANGE, TokenExchange, type TokenExchangeResponse } from "./token-exchange.js";
import { parseTrustPolicy, REPOSITORY_PERMISSIONS } from "./trust-policy.js";
import { issueWorkloadToken, type WorkloadToken, type WorkloadTokenRequest } from "./workload-token.js";

/** Options for {@link LocalOidcServer}. */
export interface LocalOidcServerOptions {
  /**
   * Which subject may get which permission on which repository; parsed at construction, so a bad
   * policy fails fast with every bad key named.
   */
  readonly trustPolicy: unknown;
  /** @default - keys in memory only: tokens do not survive a restart. Keep it to persist the RS256 key pair. */
  readonly dataDir?: string;
  /** Port on 127.0.0.1. Fix it when tokens must survive a restart (the issuer URL contains it). @default 0 - a free port */
  readonly port?: number;
  /** Audience a subject token must carry to be exchanged. @default "shipline-token-exchange" */
  readonly exchangeAudience?: string;
  /** `aud` of repository tokens, checked by the git server. @default "shipline-git" */
  readonly repositoryTokenAudience?: string;
  /** Lifetime of repository tokens, in seconds. @default 600 */
  readonly repositoryTokenTtlSeconds?: number;
  /** Subject of workload tokens requested without one. @default "arn:aws:iam::000000000000:role/shipline-local" */
  readonly defaultSubject?: string;
  /** `source_region` of workload tokens. @default "us-east-1" */
  readonly region?: string;
  /** @default - the system clock */
  readonly clock?: Clock;
}

/** Defaults of {@link LocalOidcServerOptions}. */
export const OIDC_DEFAULTS = {
  exchangeAudience: "shipline-token-exchange",
  repositoryTokenAudience: "shipline-git",
  repositoryTokenTtlSeconds: 600,
  defaultSubject: "arn:aws:iam::000000000000:role/shipline-local",
  region: "us-east-1",
  account: "000000000000",
} as const;

interface Running {
  readonly server: Server;
  readonly issuer: string;
  readonly key: SigningKey;
  readonly exchange: TokenExchange;
  readonly verifier: RepositoryTokenVerifier;
}

/**
 * The local stand-in for STS outbound identity federation and a token-exchange broker, on
 * 127.0.0.1: an OIDC issuer (discovery document and JWKS), `POST /local/sts/web-identity-token`
 * (STS `GetWebIdentityToken`: local only and unauthenticated, so any local process may ask for any
 * subject) and `POST /token` (RFC 8693 token exchange for repository-scoped git tokens).
 *
 * @example
 * ```ts
 * const oidc = new LocalOidcServer({ trustPolicy: [{ subject: "arn:aws:iam::*:role/writer", repositories: ["config"], permissions: ["write"] }] });
 * const issuer = await oidc.start();
 * const { token } = await oidc.issueWorkloadToken({ subject: "arn:aws:iam::000000000000:role/writer", audience: ["shipline-token-exchange"] });
 * ```
 */
export class LocalOidcServer implements RepositoryTokenCheck {
  private readonly options: LocalOidcServerOptions;
  private readonly policy: ReturnType<typeof parseTrustPolicy>;
  private running: Running | undefined;

  constructor(options: LocalOidcServerOptions) {
    this.options = options;
    this.policy = parseTrustPolicy(options.trustPolicy);
  }

  /** Loads or creates the key pair, listens on 127.0.0.1 and resolves with the issuer URL (no trailing `/`). */
  async start(): Promise<string> {
    if (this.running) return this.running.issuer;
    const key = await loadSigningKey(
      this.options.dataDir === undefined ? {} : { dataDir: this.options.dataDir },
    );
    const handler = createOidcRequestHandler({
      discoveryDocument: () => this.discoveryDocument(),
      jwks: () => this.jwks(),
      exchangeToken: (form) => this.exchangeToken(form),
      issueWorkloadToken: (request) => this.issueWorkloadToken(request),
      defaultSubject: this.options.defaultSubject ?? OIDC_DEFAULTS.defaultSubject,
    });
    const server = createServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const issuer = `http://127.0.0.1:${port}`;
    const keys = createLocalJWKSet({ keys: [key.publicJwk] });
    const clock = this.clock();
    this.running = {
      server,
      issuer,
      key,
      exchange: new TokenExchange({
        issuer,
        key,
        keys,
        acceptedAudiences: [this.exchangeAudience],
        repositoryTokenAudience: this.repositoryTokenAudience,
        trustPolicy: this.policy,
        tokenTtlSeconds: this.options.repositoryTokenTtlSeconds ?? OIDC_DEFAULTS.repositoryTokenTtlSeconds,
        clock,
      }),
      verifier: new RepositoryTokenVerifier({ issuer, audience: this.repositoryTokenAudience, keys, clock }),
    };
    return issuer;
  }

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    running.server.closeAllConnections();
    await new Promise<void>((resolve) => running.server.close(() => resolve()));
  }

  /** The issuer URL, the `iss` of every token. */
  get issuer(): string {
    return this.started().issuer;
  }

  /** URL of the RFC 8693 token endpoint. */
  get tokenEndpoint(): string {
    return `${this.started().issuer}${OIDC_PATHS.token}`;
  }

  /** URL of the local `GetWebIdentityToken` stand-in. */
  get webIdentityTokenEndpoint(): string {
    return `${this.started().issuer}${OIDC_PATHS.webIdentityToken}`;
  }

  /** URL of the JWKS. */
  get jwksUri(): string {
    return `${this.started().issuer}${OIDC_PATHS.jwks}`;
  }

  /** The audience subject tokens must carry for the exchange. */
  get exchangeAudience(): string {
    return this.options.exchangeAudience ?? OIDC_DEFAULTS.exchangeAudience;
  }

  /** The audience of repository tokens. */
  get repositoryTokenAudience(): string {
    return this.options.repositoryTokenAudience ?? OIDC_DEFAULTS.repositoryTokenAudience;
  }

  /** The public keys, as `/.well-known/jwks.json` serves them. */
  jwks(): JSONWebKeySet {
    return { keys: [this.started().key.publicJwk] };
  }

  /** The OpenID Provider metadata served at `/.well-known/openid-configuration`. */
  discoveryDocument(): Record<string, unknown> {
    const issuer = this.started().issuer;
    return {
      issuer,
      jwks_uri: `${issuer}${OIDC_PATHS.jwks}`,
      token_endpoint: `${issuer}${OIDC_PATHS.token}`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
      grant_types_supported: [TOKEN_EXCHANGE.grantType],
      token_endpoint_auth_methods_supported: ["none"],
      scopes_supported: [...REPOSITORY_PERMISSIONS],
      claims_supported: ["iss", "sub", "aud", "exp", "iat", "jti", "https://sts.amazonaws.com/"],
    };
  }

  /**
   * Issues a workload token, as STS `GetWebIdentityToken` would for a local workload.
   * `audience` defaults to the exchange audience, `subject` to the default subject.
   */
  async issueWorkloadToken(request: Partial<WorkloadTokenRequest> = {}): Promise<WorkloadToken> {
    const running = this.started();
    return issueWorkloadToken({
      subject: request.subject ?? this.options.defaultSubject ?? OIDC_DEFAULTS.defaultSubject,
      audience: request.audience ?? [this.exchangeAudience],
      ...(request.durationSeconds === undefined ? {} : { durationSeconds: request.durationSeconds }),
      ...(request.tags === undefined ? {} : { tags: request.tags }),
      issuer: running.issuer,
      key: running.key,
      region: this.options.region ?? OIDC_DEFAULTS.region,
      account: OIDC_DEFAULTS.account,
      clock: this.clock(),
    });
  }

  /** Runs the RFC 8693 exchange in process (what `POST /token` does). */
  async exchangeToken(form: URLSearchParams): Promise<TokenExchangeResponse> {
    return this.started().exchange.exchange(form);
  }

  /** Verifies a repository token issued by this server; rejects with the reason. */
  async verifyRepositoryToken(token: string): Promise<RepositoryGrant> {
    return this.started().verifier.verifyRepositoryToken(token);
  }

  private started(): Running {
    if (!this.running) {
      throw new ShiplineError({
        code: "OIDC_SERVER_NOT_STARTED",
        message: "the local OIDC server is not running; call start() first",
      });
    }
    return this.running;
  }

  private clock(): Clock {
    return this.options.clock ?? systemClock;
  }
}
