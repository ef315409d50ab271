import { randomUUID } from "node:crypto";
import { type JWTVerifyGetKey, SignJWT } from "jose";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import { SIGNING_ALGORITHM, type SigningKey } from "./signing-key.js";
import { REPOSITORY_PERMISSIONS, type RepositoryPermission } from "./trust-policy.js";
import { verifySignedJwt } from "./verify-signed-jwt.js";

/** `typ` header of repository tokens (RFC 9068 JWT access tokens), so no other JWT passes as one. */
export const REPOSITORY_TOKEN_TYPE = "at+jwt";

/** What a verified repository token allows. */
export interface RepositoryGrant {
  /** The workload the token was issued to (the subject token's `sub`). */
  readonly subject: string;
  /** The one repository it is valid for. */
  readonly repository: string;
  /** What it allows there. */
  readonly permissions: readonly RepositoryPermission[];
  /** When it stops being valid. */
  readonly expiresAt: Date;
  /** Its `jti`, for logs. */
  readonly tokenId: string;
}

/** Checks a repository token; implemented by {@link RepositoryTokenVerifier}, used by the git server. */
export interface RepositoryTokenCheck {
  /** Resolves with the grant of a valid token, rejects with a {@link ShiplineError} naming the reason. */
  verifyRepositoryToken(token: string): Promise<RepositoryGrant>;
}

/** Options for {@link issueRepositoryToken}. */
export interface IssueRepositoryTokenOptions {
  readonly key: SigningKey;
  readonly issuer: string;
  /** The `aud` of repository tokens (the git service). */
  readonly audience: string;
  readonly subject: string;
  readonly repository: string;
  readonly permissions: readonly RepositoryPermission[];
  readonly ttlSeconds: number;
  readonly clock: Clock;
}

/**
 * Signs a repository-scoped git token: an RFC 9068 JWT access token (`typ: at+jwt`) with the
 * repository and permissions as claims, verifiable by anyone holding the issuer's JWKS.
 *
 * @example
 * ```ts
 * const { token } = await issueRepositoryToken({ key, issuer, audience: "shipline-git", subject, repository: "config", permissions: ["read", "write"], ttlSeconds: 600, clock: systemClock });
 * ```
 */
export async function issueRepositoryToken(
  options: IssueRepositoryTokenOptions,
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(options.clock.now().getTime() / 1000);
  const expiresAt = issuedAt + options.ttlSeconds;
  const token = await new SignJWT({
    client_id: options.subject,
    scope: options.permissions.join(" "),
    repository: options.repository,
    permissions: [...options.permissions],
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: options.key.kid, typ: REPOSITORY_TOKEN_TYPE })
    .setIssuer(options.issuer)
    .setSubject(options.subject)
    .setAudience(options.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(options.key.privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/** Options for {@link RepositoryTokenVerifier}. */
export interface RepositoryTokenVerifierOptions {
  /** The issuer URL the tokens must carry. */
  readonly issuer: string;
  /** The audience of repository tokens. */
  readonly audience: string;
  /** The issuer's keys: `createLocalJWKSet(jwks)` in process, `createRemoteJWKSet(jwksUri)` over HTTP. */
  readonly keys: JWTVerifyGetKey;
  /** @default - the system clock */
  readonly clock?: Clock;
}

const repositoryClaims = z.object({
  sub: z.string().min(1),
  jti: z.string().min(1),
  exp: z.number(),
  repository: z.string().min(1),
  permissions: z.array(z.enum(REPOSITORY_PERMISSIONS)).min(1),
});

/**
 * Verifies repository tokens from the token exchange (signature, `typ`, issuer, audience, expiry)
 * and returns what they grant. The git server decides with the grant whether a request may go on.
 *
 * @example
 * ```ts
 * const verifier = new RepositoryTokenVerifier({ issuer, audience: "shipline-git", keys: createRemoteJWKSet(new URL(jwksUri)) });
 * const grant = await verifier.verifyRepositoryToken(password);
 * ```
 */
export class RepositoryTokenVerifier implements RepositoryTokenCheck {
  private readonly options: RepositoryTokenVerifierOptions;

  constructor(options: RepositoryTokenVerifierOptions) {
    this.options = options;
  }

  /** Resolves with the grant of a valid token; rejects with a ShiplineError naming the reason. */
  async verifyRepositoryToken(token: string): Promise<RepositoryGrant> {
    const payload = await verifySignedJwt({
      token,
      keys: this.options.keys,
      issuer: this.options.issuer,
      audience: this.options.audience,
      type: REPOSITORY_TOKEN_TYPE,
      requiredClaims: ["sub", "jti"],
      label: "repository token",
      clock: this.options.clock ?? systemClock,
    });
    const claims = repositoryClaims.safeParse(payload);
    if (!claims.success) {
      throw new ShiplineError({
        code: "OIDC_CLAIM_INVALID",
        message: "repository token refused: it lacks a valid 'repository' or 'permissions' claim",
        data: { label: "repository token" },
      });
    }
    return {
      subject: claims.data.sub,
      repository: claims.data.repository,
      permissions: claims.data.permissions,
      expiresAt: new Date(claims.data.exp * 1000),
      tokenId: claims.data.jti,
    };
  }
}
