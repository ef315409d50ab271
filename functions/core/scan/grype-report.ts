import * as z from "zod";
import type { Finding } from "./finding.js";
import { normaliseSeverity } from "./severity-rank.js";

/** Grype's JSON report (`grype <image> -o json`): only what findings need. */
export const grypeReport = z.looseObject({
  matches: z.array(
    z.looseObject({
      vulnerability: z.looseObject({
        id: z.string().min(1),
        severity: z.string().optional(),
        description: z.string().optional(),
        fix: z
          .looseObject({ versions: z.array(z.string()).optional(), state: z.string().optional() })
          .optional(),
      }),
      artifact: z.looseObject({ name: z.string().optional(), version: z.string().optional() }),
    }),
  ),
});

/**
 * Maps a Grype JSON report to findings: `matches[]` with `vulnerability.id`, `severity` and
 * `fix.versions` (the first is kept; `fix.state` says whether one exists), and `artifact.name` and
 * `version`. Throws zod's error for JSON that is not such a report.
 *
 * @example
 * ```ts
 * const findings = mapGrypeReport(JSON.parse(stdout));
 * ```
 */
export function mapGrypeReport(json: unknown): Finding[] {
  return grypeReport.parse(json).matches.map(({ vulnerability, artifact }): Finding => {
    const fixed = vulnerability.fix?.versions?.[0];
    const state = vulnerability.fix?.state;
    return {
      id: vulnerability.id,
      severity: normaliseSeverity(vulnerability.severity),
      ...(artifact.name ? { package: artifact.name } : {}),
      ...(artifact.version ? { installedVersion: artifact.version } : {}),
      ...(fixed ? { fixedVersion: fixed } : {}),
      ...(state === undefined || state === "unknown" ? {} : { fixAvailable: state === "fixed" }),
    };
  });
}
