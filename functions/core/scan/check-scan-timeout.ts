import { readKnownImage } from "../images/known-image.js";
import { finishStandingVerdict, judgeScan } from "./judge-scan.js";
import { parkedScans } from "./parked-scan.js";
import { publishVerdictOnce } from "./publish-verdict-once.js";
import type { ScanGateContext, ScanGateOutcome } from "./scan-gate-context.js";
import { classifyScanStatus, decideScanTimeout } from "./scan-status.js";
import type { ScanTimeoutCheck } from "./scan-timeout-check.js";
import { verdictRequest } from "./verdict-request.js";

/**
 * The scan gate's use case when an image's scan timeout is up. An image with a verdict keeps it. A
 * scan result kept because it arrived before the image was known is judged now. Otherwise the
 * image got no scan result in time: it is rejected (fail closed) unless the policy's `onTimeout` is
 * `approve`, and that verdict is final, so a scan result arriving later does not flip it.
 *
 * @example
 * ```ts
 * const outcome = await checkScanTimeout({ context, check: scanTimeoutCheck.parse(event) });
 * ```
 */
export async function checkScanTimeout(options: {
  readonly context: ScanGateContext;
  readonly check: ScanTimeoutCheck;
}): Promise<ScanGateOutcome> {
  const { context } = options;
  const { repository, digest } = options.check.detail;
  const image = await readKnownImage({ store: context.store, repository, digest });
  if (image === undefined) return { outcome: "unknown-image" };
  const standing = await finishStandingVerdict(context, image);
  if (standing) return standing;
  const kept = await parkedScans({ store: context.store, repository, digest });
  const finished = kept.find((scan) => classifyScanStatus(scan.status) !== "pending");
  if (finished) return judgeScan({ context, image, scan: finished });
  return publishVerdictOnce({
    ...context,
    request: verdictRequest({
      image,
      scanner: context.sources.ecr.scanner,
      decision: decideScanTimeout({ policy: context.policy }),
    }),
    cause: "timeout",
  });
}
