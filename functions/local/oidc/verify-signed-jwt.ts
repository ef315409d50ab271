import { decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { Clock } from "../../core/ports/clock.js";
import { SIGNING_ALGORITHM } from "./signing-key.js";

/** Options for {@link verifySignedJwt}. */
export interface VerifySignedJwtOptions {
  /** The compact JWS to check. */
  readonly token: string;
  /** Resolves the verification key from the token header (a local or remote JWKS). */
  readonly keys: JWTVerifyGetKey;
  /** The `iss` the token must carry. */
  readonly issuer: string;
  /** Audiences accepted: the token's `aud` must contain one of them. */
  readonly audience: string | readonly string[];
  /** The `typ` header required, e.g. `JWT` or `at+jwt`. */
  readonly type: string;
  /** Claims that must be present besides `iss`, `aud` and `exp`. */
  readonly requiredClaims?: readonly string[];
  /** What the token is, for messages ("subject token", "repository token"). */
  readonly label: string;
  /** "Now" for the `exp`, `nbf` and `iat` checks. */
  readonly clock: Clock;
}

/**
 * Verifies a signed JWT: RS256 signature against the issuer's keys (unsigned `alg: none` and other
 * algorithms refused), `typ`, issuer, audience and expiry. Every refusal is a {@link ShiplineError}
 * whose code names the reason (`OIDC_TOKEN_EXPIRED`, `OIDC_AUDIENCE_MISMATCH`, `OIDC_ISSUER_MISMATCH`,
 * `OIDC_SIGNATURE_INVALID`, `OIDC_TOKEN_UNSIGNED`, `OIDC_ALGORITHM_NOT_ALLOWED`, `OIDC_SIGNING_KEY_UNKNOWN`,
 * `OIDC_TOKEN_MALFORMED`, `OIDC_CLAIM_INVALID`) and whose message never contains the token. When the
 * keys cannot be fetched the error is `OIDC_KEYS_UNAVAILABLE` and retryable.
 *
 * @example
 * ```ts
 * const claims = await verifySignedJwt({ token, keys, issuer, audience: "sts.shipline.local", type: "JWT", label: "subject token", clock: systemClock });
 * ```
 */
export async function verifySignedJwt(options: VerifySignedJwtOptions): Promise<JWTPayload> {
  const audiences = typeof options.audience === "string" ? [options.audience] : [...options.audience];
  try {
    const { payload } = await jwtVerify(options.token, options.keys, {
      algorithms: [SIGNING_ALGORITHM],
      issuer: options.issuer,
      audience: audiences,
      typ: options.type,
      requiredClaims: ["exp", "iat", ...(options.requiredClaims ?? [])],
      currentDate: options.clock.now(),
    });
    return payload;
  } catch (error) {
    throw describeRefusal(error, options, audiences);
  }
}

function describeRefusal(
  error: unknown,
  options: VerifySignedJwtOptions,
  audiences: string[],
): ShiplineError {
  const label = options.label;
  const refuse = (code: string, message: string, data: Record<string, unknown> = {}) =>
    new ShiplineError({
      code,
      message: `${label} refused: ${message}`,
      data: { label, ...data },
      cause: error,
    });
  if (error instanceof errors.JWTExpired) {
    const expiredAt = typeof error.payload.exp === "number" ? new Date(error.payload.exp * 1000) : undefined;
    return refuse(
      "OIDC_TOKEN_EXPIRED",
      `it expired at ${expiredAt?.toISOString() ?? "an unknown time"}; request a new token`,
      { expiredAt: expiredAt?.toISOString() },
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed)
    return claimRefusal(error, options, audiences, refuse);
  if (error instanceof errors.JOSEAlgNotAllowed) {
    const algorithm = headerAlgorithm(options.token);
    if (algorithm === "none") {
      return refuse(
        "OIDC_TOKEN_UNSIGNED",
        "it is unsigned (alg 'none'); only RS256-signed tokens are accepted",
        {
          algorithm,
        },
      );
    }
    return refuse(
      "OIDC_ALGORITHM_NOT_ALLOWED",
      `its algorithm '${algorithm ?? "missing"}' is not allowed; only ${SIGNING_ALGORITHM} is accepted`,
      { algorithm },
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return refuse(
      "OIDC_SIGNATURE_INVALID",
      "its signature does not match the issuer's key (the token was altered or signed by someone else)",
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return refuse(
      "OIDC_SIGNING_KEY_UNKNOWN",
      `no key of issuer ${options.issuer} matches its 'kid'; it was signed by another issuer or a key that no longer exists`,
    );
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    !(error instanceof errors.JOSEError)
  ) {
    // The issuer's keys could not be had: nothing is known against the token, so try again later.
    return new ShiplineError({
      code: "OIDC_KEYS_UNAVAILABLE",
      message: `${label} could not be checked: the keys of issuer ${options.issuer} are unavailable; try again`,
      data: { label, issuer: options.issuer },
      retryable: true,
      cause: error,
    });
  }
  return refuse("OIDC_TOKEN_MALFORMED", `it is not a valid compact JWT (${error.code})`, {
    joseCode: error.code,
  });
}

function claimRefusal(
  error: InstanceType<typeof errors.JWTClaimValidationFailed>,
  options: VerifySignedJwtOptions,
  audiences: string[],
  refuse: (code: string, message: string, data?: Record<string, unknown>) => ShiplineError,
): ShiplineError {
  const payload = error.payload;
  if (error.claim === "aud") {
    return refuse(
      "OIDC_AUDIENCE_MISMATCH",
      `its audience ${JSON.stringify(payload.aud ?? null)} is not one of ${JSON.stringify(audiences)}; request the token for that audience`,
      { audience: payload.aud, expected: audiences },
    );
  }
  if (error.claim === "iss") {
    return refuse(
      "OIDC_ISSUER_MISMATCH",
      `its issuer ${JSON.stringify(payload.iss ?? null)} is not ${options.issuer}`,
      { issuer: payload.iss, expected: options.issuer },
    );
  }
  if (error.claim === "typ") {
    return refuse(
      "OIDC_TOKEN_TYPE_MISMATCH",
      `its 'typ' header is not '${options.type}'; it is another kind of token`,
      {
        expected: options.type,
      },
    );
  }
  if (error.claim === "nbf" || error.claim === "iat") {
    return refuse("OIDC_TOKEN_NOT_YET_VALID", `its '${error.claim}' lies in the future; check the clocks`, {
      claim: error.claim,
    });
  }
  return refuse("OIDC_CLAIM_INVALID", `claim '${error.claim}' is ${error.reason.replace("_", " ")}`, {
    claim: error.claim,
    reason: error.reason,
  });
}

function headerAlgorithm(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}
