import { type KeyObject, sign } from "node:crypto";

/** The claims of a JWT: names to strings or whole seconds. */
export type JwtClaims = Readonly<Record<string, string | number>>;

/**
 * Signs a compact JWT with RS256 (RFC 7515 / 7518): the header `{"alg":"RS256","typ":"JWT"}`, the
 * claims as given, and an RSASSA-PKCS1-v1_5 SHA-256 signature, each part base64url without padding.
 * node:crypto does the signing, so no JOSE library is bundled into the step functions for the one
 * token they sign (the GitHub App's).
 *
 * @example
 * ```ts
 * const jwt = signRs256Jwt({ iss: "123456", iat: now - 60, exp: now + 540 }, createPrivateKey(pem));
 * ```
 */
export function signRs256Jwt(claims: JwtClaims, key: KeyObject): string {
  const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT" })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), key).toString("base64url");
  return `${header}.${payload}.${signature}`;
}
