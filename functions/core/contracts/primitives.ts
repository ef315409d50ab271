import * as z from "zod";

/** A full git object id (SHA-1, or SHA-256 for repositories in that format), lower-case hex. */
export const gitSha = z
  .string()
  .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, "expected a 40 or 64 character lower-case hex git sha");

/** An OCI content digest, `sha256:` and 64 hex characters. */
export const imageDigest = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, "expected an image digest such as sha256:<64 hex characters>");

/** An OCI tag: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}` (distribution spec). */
export const imageTag = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, "expected an OCI tag: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

/** A Shipline name (app, environment, cluster): lower-case DNS label. */
export const resourceName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "expected a lower-case name of letters, digits and '-' (at most 63 characters, no leading or trailing '-')",
  );

/** An ISO-8601 timestamp with a zone, as `new Date().toISOString()` gives. */
export const isoTime = z.iso.datetime({ offset: true });

/** Severity levels shared by ECR basic scanning, Inspector and the scan policy, most severe first. */
export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"] as const;

/** One of {@link SEVERITIES}. */
export const severity = z.enum(SEVERITIES);

/** A finding severity. */
export type Severity = z.infer<typeof severity>;

/** Counts of findings per severity. */
export const severityCounts = z.record(z.string(), z.number().int().nonnegative());
