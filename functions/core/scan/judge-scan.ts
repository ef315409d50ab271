import { ShiplineError } from "../errors/shipline-error.js";
import type { KnownImage } from "../images/known-image.js";
import { evaluateScanPolicy, type ScanDecision } from "./evaluate-scan-policy.js";
import {
  publishVerdictOnce,
  readVerdict,
  type VerdictCause,
  verdictRequestOf,
} from "./publish-verdict-once.js";
import type { ScanGateContext, ScanGateOutcome } from "./scan-gate-context.js";
import type { ScanResult } from "./scan-result.js";
import { classifyScanStatus, decideScanFailure } from "./scan-status.js";
import { verdictRequest } from "./verdict-request.js";

/**
 * Judges a finished scan of a known image and publishes the verdict once: a complete scan's
 * findings go through the scan policy; a failed or unsupported scan is rejected while the policy
 * fails closed. An image that already has a verdict keeps it, and its findings are not even read.
 *
 * @example
 * ```ts
 * const outcome = await judgeScan({ context, image, scan });
 * ```
 */
export async function judgeScan(options: {
  readonly context: ScanGateContext;
  readonly image: KnownImage;
  readonly scan: ScanResult;
}): Promise<ScanGateOutcome> {
  const { context, image, scan } = options;
  const status = classifyScanStatus(scan.status);
  if (status === "pending") return { outcome: "pending" };
  const standing = await finishStandingVerdict(context, image);
  if (standing) return standing;
  const source = context.sources[scan.origin];
  if (source === undefined) {
    throw new ShiplineError({
      code: "SCAN_SOURCE_MISSING",
      message: `a ${scan.origin} scan of ${scan.repository}@${scan.digest} arrived, but the scan gate has no ${scan.origin} findings source; declare the registry under registries: (kind: ${scan.origin === "registry" ? "oci" : scan.origin}) and deploy again`,
      data: { origin: scan.origin, repository: scan.repository, digest: scan.digest },
      retryable: false,
    });
  }
  let decision: ScanDecision;
  let cause: VerdictCause;
  if (status === "complete") {
    const findings = await source.findings({
      repository: scan.repository,
      digest: scan.digest,
      registryId: scan.registryId,
      ...(scan.scanner === undefined ? {} : { scanner: scan.scanner }),
    });
    decision = evaluateScanPolicy({
      policy: context.policy,
      app: image.app,
      findings,
      now: context.clock.now(),
    });
    cause = "scan";
  } else {
    decision = decideScanFailure({ policy: context.policy, status: scan.status });
    cause = "scan-failure";
  }
  return publishVerdictOnce({
    ...context,
    request: verdictRequest({ image, scanner: scan.scanner ?? source.scanner, decision }),
    cause,
  });
}

/**
 * Completes an image's earlier verdict, if it has one: publishes it when an earlier invocation
 * recorded it but did not get to publish it, else reports it as already decided.
 *
 * @example
 * ```ts
 * const standing = await finishStandingVerdict(context, image);
 * if (standing) return standing;
 * ```
 */
export async function finishStandingVerdict(
  context: ScanGateContext,
  image: Pick<KnownImage, "repository" | "digest">,
): Promise<ScanGateOutcome | undefined> {
  const verdict = await readVerdict({ store: context.store, ...image });
  if (verdict === undefined) return undefined;
  if (verdict.publishedAt !== undefined) return { outcome: "already-decided", verdict };
  return publishVerdictOnce({ ...context, request: verdictRequestOf(verdict), cause: verdict.cause });
}
