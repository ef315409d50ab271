import { DetailType } from "../contracts/detail-type.js";
import type { KnownImage } from "../images/known-image.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import type { ScannerName } from "../ports/scan-findings-source.js";
import type { ScanDecision } from "./evaluate-scan-policy.js";

/**
 * The most blocking findings an `Image Rejected` event lists (the worst first); the reason still
 * counts them all. Keeps the event well under EventBridge's 256 KB.
 */
export const MAX_LISTED_FINDINGS = 100;

/** A verdict event: `Image Approved` or `Image Rejected`. */
export type VerdictRequest = PublishRequest<"Image Approved"> | PublishRequest<"Image Rejected">;

/**
 * Turns a decision about a known image into the event that announces it, carrying the image, the
 * scanner, the counts, the accepted findings (approved) or the blocking ones (rejected), and the
 * reason.
 *
 * @example
 * ```ts
 * const request = verdictRequest({ image, scanner: "ecr-basic", decision });
 * await publisher.publish([request]);
 * ```
 */
export function verdictRequest(options: {
  readonly image: KnownImage;
  readonly scanner: ScannerName;
  readonly decision: ScanDecision;
}): VerdictRequest {
  const { image, scanner, decision } = options;
  const base = {
    app: image.app,
    commit: image.commit,
    correlationId: image.correlationId,
    repository: image.repository,
    tag: image.tag,
    digest: image.digest,
    scanner,
    counts: { ...decision.counts },
    reason: decision.reason,
  };
  if (decision.verdict === "approved") {
    return {
      detailType: DetailType.ImageApproved,
      detail: { ...base, allowed: [...decision.allowed] },
    };
  }
  const listed = decision.blocking.slice(0, MAX_LISTED_FINDINGS);
  const unlisted = decision.blocking.length - listed.length;
  return {
    detailType: DetailType.ImageRejected,
    detail: {
      ...base,
      blocking: listed,
      reason:
        unlisted > 0 ? `${decision.reason} (${unlisted} more blocking findings not listed)` : decision.reason,
    },
  };
}
