import type { Finding } from "../scan/finding.js";

/** Which scanner produced a result, as `Image Approved` / `Image Rejected` name it. */
export type ScannerName = "ecr-basic" | "inspector2" | "local" | "harbor" | "trivy" | "grype";

/** The image whose findings to read. */
export interface ScanFindingsQuery {
  /** The repository name (ECR's `repository-name`: no registry host). */
  readonly repository: string;
  readonly digest: string;
  /** The registry holding the repository: the AWS account, or Harbor's host. @default - the caller's own */
  readonly registryId?: string;
  /**
   * The tool whose report to read, when the scan event names it (`Registry Scan Completed`: Trivy's
   * or Grype's JSON). @default - the source's own scanner
   */
  readonly scanner?: "trivy" | "grype";
}

/**
 * Port through which the scan gate reads an image's findings once a scan is complete: ECR's
 * DescribeImageScanFindings, Inspector2's ListFindings, Harbor's vulnerability report, the report the
 * scan job of a registry of kind oci stored, or the local scan service's results.
 * Implementations read every page, map each finding to {@link Finding}, and throw a coded error
 * (retryable when trying later may succeed, e.g. throttling).
 *
 * @example
 * ```ts
 * const findings = await source.findings({ repository: "demo", digest: "sha256:..." });
 * ```
 */
export interface ScanFindingsSource {
  /** The scanner this source reads, as the verdict events name it. */
  readonly scanner: ScannerName;
  /** Every current finding of the image. */
  findings(query: ScanFindingsQuery): Promise<Finding[]>;
}
