import type { RegistryScanner } from "../contracts/registry/registry-scan-completed.js";
import type { Finding } from "./finding.js";
import { mapGrypeReport } from "./grype-report.js";
import { mapTrivyReport } from "./trivy-report.js";

/**
 * Maps the JSON report of a scanning tool to findings, with the same mapping the local runtime's
 * scanner uses: Trivy's (`trivy image --format json`) or Grype's (`grype -o json`). Throws zod's
 * error for JSON that is not such a report.
 *
 * @example
 * ```ts
 * const findings = mapScannerReport("trivy", JSON.parse(body));
 * ```
 */
export function mapScannerReport(scanner: RegistryScanner, json: unknown): Finding[] {
  return scanner === "trivy" ? mapTrivyReport(json) : mapGrypeReport(json);
}
