import * as z from "zod";
import type { RegistryScanner } from "../contracts/registry/registry-scan-completed.js";
import type { Finding } from "./finding.js";
import { mapGrypeReport } from "./grype-report.js";
import { mapTrivyReport } from "./trivy-report.js";

/** What tells a Trivy report from any other JSON: Trivy always writes its schema version. */
const trivySignature = z.looseObject({ SchemaVersion: z.number() });

/**
 * Maps the JSON report of a scanning tool to findings, with the same mapping the local runtime's
 * scanner uses: Trivy's (`trivy image --format json`) or Grype's (`grype -o json`). Throws zod's
 * error for JSON that is not such a report; a Trivy report must carry its `SchemaVersion`, so that
 * another tool's report is refused rather than read as one without findings.
 *
 * @example
 * ```ts
 * const findings = mapScannerReport("trivy", JSON.parse(body));
 * ```
 */
export function mapScannerReport(scanner: RegistryScanner, json: unknown): Finding[] {
  if (scanner === "grype") return mapGrypeReport(json);
  trivySignature.parse(json);
  return mapTrivyReport(json);
}
