import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import * as z from "zod";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { Clock } from "../../core/ports/clock.js";
import { SIGNING_ALGORITHM, type SigningKey } from "./signing-key.js";

/** Namespace of the AWS-specific claims in an STS web identity token. */
export const STS_CLAIMS_NAMESPACE = "https://sts.amazonaws.com/";

/** Token lifetime bounds and default of STS `GetWebIdentityToken`, in seconds. */
export const WORKLOAD_TOKEN_DURATION = { min: 60, max: 3600, default: 300 } as const;

/**
 * What a local workload asks for, validated with the constraints of STS `GetWebIdentityToken`:
 * 1 to 10 audiences of 1 to 1000 characters, a duration of 60 to 3600 seconds, string tags.
 */
export const workloadTokenRequest = z.object({
  subject: z.string().min(1).max(2048),
  audience: z.array(z.string().min(1).max(1000)).min(1).max(10),
  durationSeconds: z
    .number()
    .int()
    .min(WORKLOAD_TOKEN_DURATION.min)
    .max(WORKLOAD_TOKEN_DURATION.max)
    .default(WORKLOAD_TOKEN_DURATION.default),
  tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
});

/** Input of {@link issueWorkloadToken} (before defaults). */
export type WorkloadTokenRequest = z.input<typeof workloadTokenRequest>;

/** Options for {@link issueWorkloadToken}: the request plus the issuer's identity. */
export interface IssueWorkloadTokenOptions extends WorkloadTokenRequest {
  /** Issuer URL, the `iss` claim. */
  readonly issuer: string;
  /** The signing key. */
  readonly key: SigningKey;
  /** Region reported as `source_region`. */
  readonly region: string;
  /** Account reported as `aws_account` when the subject is not an ARN that names one. */
  readonly account: string;
  /** "Now" for `iat` and `exp`. */
  readonly clock: Clock;
}

/** A signed workload token, as STS `GetWebIdentityToken` answers. */
export interface WorkloadToken {
  /** The compact JWS. */
  readonly token: string;
  /** When it stops being valid. */
  readonly expiration: Date;
}

/**
 * Signs a workload identity token shaped like one from STS `GetWebIdentityToken`: `iss`, `sub` (a
 * role ARN for local workloads), `aud` (a string for one audience, an array for several), `iat`,
 * `exp`, `jti`, and the AWS claims under `https://sts.amazonaws.com/` with the request tags as
 * `request_tags`.
 *
 * @example
 * ```ts
 * const { token } = await issueWorkloadToken({
 *   issuer, key, region: "us-east-1", account: "000000000000", clock: systemClock,
 *   subject: "arn:aws:iam::000000000000:role/shipline-config-writer",
 *   audience: ["shipline-token-exchange"], durationSeconds: 300, tags: { "job-id": "42" },
 * });
 * ```
 */
export async function issueWorkloadToken(options: IssueWorkloadTokenOptions): Promise<WorkloadToken> {
  const parsed = workloadTokenRequest.safeParse({
    subject: options.subject,
    audience: options.audience,
    durationSeconds: options.durationSeconds,
    tags: options.tags,
  });
  if (!parsed.success) {
    throw new ShiplineError({
      code: "WORKLOAD_TOKEN_REQUEST_INVALID",
      message: `workload token request is invalid: ${formatIssues(parsed.error.issues).join("; ")}`,
      data: { issues: parsed.error.issues.map((issue) => issue.path.join(".")) },
    });
  }
  const request = parsed.data;
  const issuedAt = Math.floor(options.clock.now().getTime() / 1000);
  const expiresAt = issuedAt + request.durationSeconds;
  const awsClaims: Record<string, unknown> = {
    aws_account: accountOf(request.subject) ?? options.account,
    source_region: options.region,
    ...(Object.keys(request.tags).length > 0 ? { request_tags: request.tags } : {}),
  };
  const [firstAudience] = request.audience;
  const token = await new SignJWT({ [STS_CLAIMS_NAMESPACE]: awsClaims })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: options.key.kid, typ: "JWT" })
    .setIssuer(options.issuer)
    .setSubject(request.subject)
    .setAudience(
      request.audience.length === 1 && firstAudience !== undefined ? firstAudience : request.audience,
    )
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(options.key.privateKey);
  return { token, expiration: new Date(expiresAt * 1000) };
}

function accountOf(subject: string): string | undefined {
  return /^arn:aws[a-z-]*:[a-z0-9-]+::(\d{12}):/.exec(subject)?.[1];
}
