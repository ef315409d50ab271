import * as z from "zod";
import type { Finding } from "./finding.js";
import { normaliseSeverity } from "./severity-rank.js";

/** A package an Inspector finding names (`packageVulnerabilityDetails.vulnerablePackages[]`). */
const vulnerablePackage = z.looseObject({
  name: z.string(),
  version: z.string(),
  release: z.string().optional(),
  epoch: z.number().optional(),
  fixedInVersion: z.string().optional(),
});

/**
 * An Inspector finding as Inspector2's ListFindings returns it, and as ECR's DescribeImageScanFindings
 * returns it under `enhancedFindings`: only the fields the scan gate reads.
 */
export const inspectorFinding = z.looseObject({
  findingArn: z.string().optional(),
  severity: z.string().optional(),
  status: z.string().optional(),
  title: z.string().optional(),
  fixAvailable: z.string().optional(),
  packageVulnerabilityDetails: z
    .looseObject({
      vulnerabilityId: z.string(),
      vulnerablePackages: z.array(vulnerablePackage).optional(),
    })
    .optional(),
});

/** An Inspector finding (see {@link inspectorFinding}). */
export type InspectorFinding = z.infer<typeof inspectorFinding>;

/** Statuses of findings that no longer apply. */
const INACTIVE = new Set(["CLOSED", "SUPPRESSED"]);

/** What Inspector writes in `fixedInVersion` when there is no fix. */
const NO_FIX = new Set(["", "NotAvailable"]);

/**
 * Maps Inspector findings (Inspector2 ListFindings, or ECR's `enhancedFindings`) to Shipline's
 * findings: one per vulnerable package, with the installed version as `[epoch:]version[-release]`
 * and the fixed version when Inspector names one. Closed and suppressed findings are left out.
 * Throws zod's error for data that is not a finding (the adapters turn it into a coded error).
 *
 * @example
 * ```ts
 * const findings = mapInspectorFindings(response.findings ?? []);
 * ```
 */
export function mapInspectorFindings(raw: readonly unknown[]): Finding[] {
  return raw.flatMap((item) => {
    const finding = inspectorFinding.parse(item);
    if (finding.status !== undefined && INACTIVE.has(finding.status.toUpperCase())) return [];
    const details = finding.packageVulnerabilityDetails;
    const id = details?.vulnerabilityId ?? finding.title ?? finding.findingArn ?? "UNKNOWN";
    const base = {
      id,
      severity: normaliseSeverity(finding.severity),
      ...(finding.title === undefined ? {} : { title: finding.title }),
      ...fixAvailability(finding.fixAvailable),
    };
    const packages = details?.vulnerablePackages ?? [];
    if (packages.length === 0) return [base];
    return packages.map(
      (pkg): Finding => ({
        ...base,
        package: pkg.name,
        installedVersion: installedVersionOf(pkg),
        ...(pkg.fixedInVersion === undefined || NO_FIX.has(pkg.fixedInVersion)
          ? {}
          : { fixedVersion: pkg.fixedInVersion }),
      }),
    );
  });
}

function installedVersionOf(pkg: z.infer<typeof vulnerablePackage>): string {
  const epoch = pkg.epoch !== undefined && pkg.epoch > 0 ? `${pkg.epoch}:` : "";
  const release = pkg.release ? `-${pkg.release}` : "";
  return `${epoch}${pkg.version}${release}`;
}

/** Inspector's `fixAvailable` (YES, PARTIAL, NO); absent leaves the decision to `fixedVersion`. */
function fixAvailability(value: string | undefined): { fixAvailable?: boolean } {
  if (value === undefined) return {};
  const upper = value.toUpperCase();
  return { fixAvailable: upper === "YES" || upper === "PARTIAL" };
}
