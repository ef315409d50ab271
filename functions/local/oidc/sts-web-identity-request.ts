import * as z from "zod";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { WORKLOAD_TOKEN_DURATION, type WorkloadTokenRequest } from "./workload-token.js";

/**
 * Body of `POST /local/sts/web-identity-token`: the parameters of STS `GetWebIdentityToken`
 * (`Audience`, `DurationSeconds`, `SigningAlgorithm`, `Tags`) plus `Subject`, the role ARN the local
 * workload runs as (on AWS that comes from the caller's credentials).
 */
export const stsWebIdentityRequest = z.object({
  Audience: z.array(z.string().min(1).max(1000)).min(1).max(10),
  DurationSeconds: z
    .number()
    .int()
    .min(WORKLOAD_TOKEN_DURATION.min)
    .max(WORKLOAD_TOKEN_DURATION.max)
    .optional(),
  SigningAlgorithm: z.string().default("RS256"),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).default([]),
  Subject: z.string().optional(),
});

/**
 * Parses the JSON body of a local `GetWebIdentityToken` call into a workload token request.
 *
 * @example
 * ```ts
 * const request = parseStsWebIdentityRequest(JSON.parse(body), "arn:aws:iam::000000000000:role/local");
 * ```
 */
export function parseStsWebIdentityRequest(input: unknown, defaultSubject: string): WorkloadTokenRequest {
  const parsed = stsWebIdentityRequest.safeParse(input);
  if (!parsed.success) {
    throw new ShiplineError({
      code: "WORKLOAD_TOKEN_REQUEST_INVALID",
      message: `GetWebIdentityToken request is invalid: ${formatIssues(parsed.error.issues).join("; ")}`,
    });
  }
  const request = parsed.data;
  if (request.SigningAlgorithm !== "RS256") {
    throw new ShiplineError({
      code: "WORKLOAD_TOKEN_REQUEST_INVALID",
      message: `SigningAlgorithm '${request.SigningAlgorithm}' is not supported by the local issuer; use RS256`,
      data: { signingAlgorithm: request.SigningAlgorithm },
    });
  }
  const tags: Record<string, string> = {};
  for (const tag of request.Tags) tags[tag.Key] = tag.Value;
  return {
    subject: request.Subject ?? defaultSubject,
    audience: request.Audience,
    ...(request.DurationSeconds === undefined ? {} : { durationSeconds: request.DurationSeconds }),
    tags,
  };
}
