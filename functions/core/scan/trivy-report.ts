import * as z from "zod";
import type { Finding } from "./finding.js";
import { normaliseSeverity } from "./severity-rank.js";

const trivyVulnerability = z.looseObject({
  VulnerabilityID: z.string().min(1),
  PkgName: z.string().optional(),
  InstalledVersion: z.string().optional(),
  FixedVersion: z.string().optional(),
  Severity: z.string().optional(),
  Title: z.string().optional(),
});

/** Trivy's JSON report (`trivy image --format json`, schema version 2): only what findings need. */
export const trivyReport = z.looseObject({
  SchemaVersion: z.number().optional(),
  Results: z
    .array(
      z.looseObject({
        Target: z.string().optional(),
        Vulnerabilities: z.array(trivyVulnerability).nullish(),
      }),
    )
    .nullish(),
});

/**
 * Maps a Trivy JSON report to findings: `Results[].Vulnerabilities[]` with VulnerabilityID,
 * Severity, PkgName, InstalledVersion and FixedVersion (Trivy lists several fixed versions with
 * commas; the first is kept). Throws zod's error for JSON that is not such a report.
 *
 * @example
 * ```ts
 * const findings = mapTrivyReport(JSON.parse(stdout));
 * ```
 */
export function mapTrivyReport(json: unknown): Finding[] {
  const report = trivyReport.parse(json);
  return (report.Results ?? []).flatMap((result) =>
    (result.Vulnerabilities ?? []).map((vulnerability): Finding => {
      const fixed = vulnerability.FixedVersion?.split(",")[0]?.trim();
      return {
        id: vulnerability.VulnerabilityID,
        severity: normaliseSeverity(vulnerability.Severity),
        ...(vulnerability.PkgName ? { package: vulnerability.PkgName } : {}),
        ...(vulnerability.InstalledVersion ? { installedVersion: vulnerability.InstalledVersion } : {}),
        ...(fixed ? { fixedVersion: fixed } : {}),
        ...(vulnerability.Title ? { title: vulnerability.Title } : {}),
      };
    }),
  );
}
