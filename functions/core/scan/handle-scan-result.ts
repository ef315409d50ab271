import { readKnownImage } from "../images/known-image.js";
import { judgeScan } from "./judge-scan.js";
import { parkScan } from "./parked-scan.js";
import type { ScanGateContext, ScanGateOutcome } from "./scan-gate-context.js";
import type { ScanResult } from "./scan-result.js";
import { classifyScanStatus } from "./scan-status.js";

/**
 * The scan gate's use case for a scan event (`ECR Image Scan` or `Inspector2 Scan`): for an image
 * Shipline knows, read the findings, apply the scan policy and publish `Image Approved` or `Image
 * Rejected` once. A scan of an image not known yet is kept, and the image is checked again once
 * the result is stored, so that a push recorded meanwhile is not missed; otherwise the image's
 * timeout check judges the kept result. Scans of images Shipline never learns about expire unseen.
 *
 * @example
 * ```ts
 * const outcome = await handleScanResult({ context, scan: scanResultOf(event) });
 * if (outcome.outcome === "published") logger.info("verdict", { verdict: outcome.verdict.detailType });
 * ```
 */
export async function handleScanResult(options: {
  readonly context: ScanGateContext;
  readonly scan: ScanResult;
}): Promise<ScanGateOutcome> {
  const { context, scan } = options;
  if (classifyScanStatus(scan.status) === "pending") return { outcome: "pending" };
  const lookup = { store: context.store, repository: scan.repository, digest: scan.digest };
  let image = await readKnownImage(lookup);
  if (image === undefined) {
    await parkScan({ store: context.store, scan, now: context.clock.now() });
    image = await readKnownImage(lookup);
    if (image === undefined) return { outcome: "unknown-image" };
  }
  return judgeScan({ context, image, scan });
}
