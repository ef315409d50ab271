import type { Severity } from "../contracts/primitives.js";

/**
 * One vulnerability a scanner found in an image, whatever the scanner: ECR basic or enhanced
 * scanning, Inspector, Trivy, Grype or findings the image declares. A vulnerability present in
 * several packages is one finding per package.
 */
export interface Finding {
  /** The vulnerability id as the scanner reports it: CVE-2024-3094, GHSA-..., ALAS2-2024-2480. */
  readonly id: string;
  /** Normalised severity (see `normaliseSeverity`). */
  readonly severity: Severity;
  /** The affected package. */
  readonly package?: string;
  /** The package version in the image. */
  readonly installedVersion?: string;
  /** The first version that fixes it, when one is known. */
  readonly fixedVersion?: string;
  /** A one-line title, when the scanner gives one. */
  readonly title?: string;
  /**
   * Whether a fix exists, when the scanner says so without naming a version (Inspector's
   * `fixAvailable`). Absent: a fix exists when `fixedVersion` is set.
   */
  readonly fixAvailable?: boolean;
}

/**
 * Tells whether a finding has a fix: the scanner said so, or it names a fixed version.
 *
 * @example
 * ```ts
 * hasFix({ id: "CVE-2024-1", severity: "HIGH", fixedVersion: "1.2.3" }); // true
 * ```
 */
export function hasFix(finding: Finding): boolean {
  return finding.fixAvailable ?? (finding.fixedVersion !== undefined && finding.fixedVersion !== "");
}
