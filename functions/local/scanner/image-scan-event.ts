import { type EcrImageScanEvent, ecrImageScanEvent } from "../../core/contracts/aws/ecr-image-scan.js";

/** What {@link imageScanEvent} needs. */
export interface ImageScanEventOptions {
  readonly id: string;
  /** When the scan finished. */
  readonly time: Date;
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly status: "COMPLETE" | "FAILED" | "UNSUPPORTED_IMAGE";
  /** Findings per severity (empty for a failed scan). */
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * Builds the `aws.ecr` / `ECR Image Scan` event ECR publishes when a basic scan ends, in the
 * EventBridge envelope, and validates it against the contract the scan gate parses it with.
 *
 * @example
 * ```ts
 * const event = imageScanEvent({ id, time, account: "000000000000", region: "local", repository: "demo", digest, tags: ["1.0"], status: "COMPLETE", counts });
 * ```
 */
export function imageScanEvent(options: ImageScanEventOptions): EcrImageScanEvent {
  return ecrImageScanEvent.parse({
    version: "0",
    id: options.id,
    "detail-type": "ECR Image Scan",
    source: "aws.ecr",
    account: options.account,
    // ECR's own events carry whole seconds.
    time: `${options.time.toISOString().slice(0, 19)}Z`,
    region: options.region,
    resources: [`arn:aws:ecr:${options.region}:${options.account}:repository/${options.repository}`],
    detail: {
      "scan-status": options.status,
      "repository-name": options.repository,
      "finding-severity-counts": { ...options.counts },
      "image-digest": options.digest,
      "image-tags": [...options.tags],
    },
  });
}
