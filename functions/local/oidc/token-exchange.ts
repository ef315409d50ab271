import type { JWTVerifyGetKey } from "jose";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { Clock } from "../../core/ports/clock.js";
import { issueRepositoryToken } from "./repository-token.js";
import type { SigningKey } from "./signing-key.js";
import {
  grantedPermissions,
  REPOSITORY_PERMISSIONS,
  type RepositoryPermission,
  type TrustPolicy,
} from "./trust-policy.js";
import { verifySignedJwt } from "./verify-signed-jwt.js";

/** RFC 8693 identifiers. */
export const TOKEN_EXCHANGE = {
  grantType: "urn:ietf:params:oauth:grant-type:token-exchange",
  jwt: "urn:ietf:params:oauth:token-type:jwt",
  accessToken: "urn:ietf:params:oauth:token-type:access_token",
} as const;

/** A successful RFC 8693 response (section 2.2.1). */
export interface TokenExchangeResponse {
  readonly access_token: string;
  readonly issued_token_type: string;
  readonly token_type: "Bearer";
  readonly expires_in: number;
  readonly scope: string;
}

/** Options for {@link TokenExchange}. */
export interface TokenExchangeOptions {
  /** Issuer URL: `iss` of subject tokens and of the tokens issued. */
  readonly issuer: string;
  /** Key that signs repository tokens. */
  readonly key: SigningKey;
  /** Keys that verify subject tokens. */
  readonly keys: JWTVerifyGetKey;
  /** Audiences a subject token must be issued for. */
  readonly acceptedAudiences: readonly string[];
  /** `aud` of the repository tokens issued. */
  readonly repositoryTokenAudience: string;
  /** Which subject may get which permission on which repository. */
  readonly trustPolicy: TrustPolicy;
  /** Lifetime of a repository token. */
  readonly tokenTtlSeconds: number;
  readonly clock: Clock;
}

const REPOSITORY_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)?$/;

/**
 * The RFC 8693 token exchange: trades a workload token (a JWT from the local issuer, standing in for
 * STS `GetWebIdentityToken`) for a token scoped to one repository. The repository is named by
 * `audience` (its name) or `resource` (its URL); `scope` asks for `read` and/or `write` (default:
 * everything the trust policy grants). A refusal is a {@link ShiplineError} whose code tells the
 * reason; {@link toOAuthError} turns it into the RFC 6749 error body.
 *
 * @example
 * ```ts
 * const response = await exchange.exchange(new URLSearchParams({
 *   grant_type: TOKEN_EXCHANGE.grantType, subject_token: jwt, subject_token_type: TOKEN_EXCHANGE.jwt, audience: "config",
 * }));
 * ```
 */
export class TokenExchange {
  private readonly options: TokenExchangeOptions;

  constructor(options: TokenExchangeOptions) {
    this.options = options;
  }

  /** Validates the form, the subject token and the trust policy, then issues the repository token. */
  async exchange(form: URLSearchParams): Promise<TokenExchangeResponse> {
    const grantType = form.get("grant_type");
    if (grantType !== TOKEN_EXCHANGE.grantType) {
      throw refusal(
        "TOKEN_EXCHANGE_GRANT_TYPE_UNSUPPORTED",
        `grant_type '${grantType ?? ""}' is not supported; use ${TOKEN_EXCHANGE.grantType}`,
      );
    }
    const subjectToken = singleValue(form, "subject_token");
    if (!subjectToken) throw refusal("TOKEN_EXCHANGE_REQUEST_INVALID", "subject_token is missing");
    const subjectTokenType = singleValue(form, "subject_token_type");
    if (subjectTokenType !== TOKEN_EXCHANGE.jwt) {
      throw refusal(
        "TOKEN_EXCHANGE_REQUEST_INVALID",
        `subject_token_type '${subjectTokenType ?? ""}' is not supported; use ${TOKEN_EXCHANGE.jwt}`,
      );
    }
    if (form.has("actor_token")) {
      throw refusal("TOKEN_EXCHANGE_REQUEST_INVALID", "actor_token (delegation) is not supported; omit it");
    }
    const issuedTokenType = requestedTokenType(form);
    const repository = targetRepository(form);
    const requested = requestedPermissions(form);
    const claims = await verifySignedJwt({
      token: subjectToken,
      keys: this.options.keys,
      issuer: this.options.issuer,
      audience: this.options.acceptedAudiences,
      type: "JWT",
      requiredClaims: ["sub"],
      label: "subject token",
      clock: this.options.clock,
    });
    const subject = claims.sub ?? "";
    const granted = grantedPermissions({ policy: this.options.trustPolicy, subject, repository });
    if (granted.length === 0) {
      throw refusal(
        "TRUST_POLICY_DENIED",
        `no trust policy rule lets subject '${subject}' access repository '${repository}'; add a rule for it`,
        { subject, repository },
      );
    }
    const permissions = requested ?? granted;
    const missing = permissions.filter((permission) => !granted.includes(permission));
    if (missing.length > 0) {
      throw refusal(
        "TRUST_POLICY_SCOPE_DENIED",
        `subject '${subject}' may have only '${granted.join(" ")}' on repository '${repository}', not '${missing.join(" ")}'`,
        { subject, repository, granted, requested: permissions },
      );
    }
    const { token } = await issueRepositoryToken({
      key: this.options.key,
      issuer: this.options.issuer,
      audience: this.options.repositoryTokenAudience,
      subject,
      repository,
      permissions,
      ttlSeconds: this.options.tokenTtlSeconds,
      clock: this.options.clock,
    });
    return {
      access_token: token,
      issued_token_type: issuedTokenType,
      token_type: "Bearer",
      expires_in: this.options.tokenTtlSeconds,
      scope: permissions.join(" "),
    };
  }
}

/** An RFC 6749 section 5.2 error body, with Shipline's reason code beside it. */
export interface OAuthError {
  readonly status: 400 | 500;
  readonly body: { readonly error: string; readonly error_description: string; readonly reason: string };
}

const OAUTH_ERRORS: Readonly<Record<string, string>> = {
  TOKEN_EXCHANGE_GRANT_TYPE_UNSUPPORTED: "unsupported_grant_type",
  TOKEN_EXCHANGE_TARGET_INVALID: "invalid_target",
  TRUST_POLICY_DENIED: "invalid_target",
  TOKEN_EXCHANGE_SCOPE_INVALID: "invalid_scope",
  TRUST_POLICY_SCOPE_DENIED: "invalid_scope",
};

/**
 * Maps a refusal to the RFC 6749 / RFC 8693 error response: an invalid subject token is
 * `invalid_request` (RFC 8693 section 2.2.2), a repository the policy does not allow is
 * `invalid_target`, a permission beyond the policy `invalid_scope`. Anything unexpected is a 500
 * `server_error` without detail.
 *
 * @example
 * ```ts
 * const { status, body } = toOAuthError(error); // 400, { error: "invalid_request", error_description: "subject token refused: it expired ...", reason: "OIDC_TOKEN_EXPIRED" }
 * ```
 */
export function toOAuthError(error: unknown): OAuthError {
  if (!(error instanceof ShiplineError)) {
    return {
      status: 500,
      body: { error: "server_error", error_description: "the token exchange failed", reason: "INTERNAL" },
    };
  }
  return {
    status: 400,
    body: {
      error: OAUTH_ERRORS[error.code] ?? "invalid_request",
      error_description: error.message,
      reason: error.code,
    },
  };
}

function refusal(code: string, message: string, data: Record<string, unknown> = {}): ShiplineError {
  return new ShiplineError({ code, message, data });
}

function singleValue(form: URLSearchParams, name: string): string | undefined {
  const values = form.getAll(name);
  if (values.length > 1) {
    throw refusal("TOKEN_EXCHANGE_REQUEST_INVALID", `${name} is given ${values.length} times; give it once`);
  }
  return values[0];
}

function requestedTokenType(form: URLSearchParams): string {
  const requested = singleValue(form, "requested_token_type") ?? TOKEN_EXCHANGE.accessToken;
  if (requested !== TOKEN_EXCHANGE.accessToken && requested !== TOKEN_EXCHANGE.jwt) {
    throw refusal(
      "TOKEN_EXCHANGE_REQUEST_INVALID",
      `requested_token_type '${requested}' is not supported; use ${TOKEN_EXCHANGE.accessToken}`,
    );
  }
  return requested;
}

function targetRepository(form: URLSearchParams): string {
  const names = new Set<string>([
    ...form.getAll("audience"),
    ...form.getAll("resource").map((resource) => repositoryOfResource(resource)),
  ]);
  if (names.size === 0) {
    throw refusal(
      "TOKEN_EXCHANGE_REQUEST_INVALID",
      "no repository named: set audience to the repository name or resource to its URL",
    );
  }
  if (names.size > 1) {
    throw refusal(
      "TOKEN_EXCHANGE_TARGET_INVALID",
      `a token is scoped to one repository, but ${[...names].map((name) => `'${name}'`).join(", ")} were named`,
    );
  }
  const [name = ""] = names;
  if (!REPOSITORY_NAME.test(name)) {
    throw refusal(
      "TOKEN_EXCHANGE_TARGET_INVALID",
      `'${name}' is not a repository name; use letters, digits, '.', '_', '-' and at most one '/'`,
    );
  }
  return name;
}

function repositoryOfResource(resource: string): string {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    throw refusal("TOKEN_EXCHANGE_TARGET_INVALID", `resource '${resource}' is not an absolute URI`);
  }
  return decodeURIComponent(url.pathname)
    .replace(/^\/+/, "")
    .replace(/\/+$/, "")
    .replace(/\.git$/, "");
}

function requestedPermissions(form: URLSearchParams): RepositoryPermission[] | undefined {
  const scope = singleValue(form, "scope");
  if (scope === undefined || scope.trim() === "") return undefined;
  const values = scope.trim().split(/\s+/);
  const permissions: RepositoryPermission[] = [];
  for (const value of values) {
    const permission = REPOSITORY_PERMISSIONS.find((candidate) => candidate === value);
    if (!permission) {
      throw refusal(
        "TOKEN_EXCHANGE_SCOPE_INVALID",
        `scope '${value}' is unknown; use ${REPOSITORY_PERMISSIONS.join(" and/or ")}`,
      );
    }
    permissions.push(permission);
  }
  if (permissions.includes("write") && !permissions.includes("read")) permissions.unshift("read");
  return REPOSITORY_PERMISSIONS.filter((permission) => permissions.includes(permission));
}
