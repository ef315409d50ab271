import type { EcrImageScanEvent } from "../contracts/aws/ecr-image-scan.js";
import type { Inspector2ScanEvent } from "../contracts/aws/inspector2-scan.js";
import { HARBOR_SOURCE, type HarborScanCompletedEvent } from "../contracts/harbor/harbor-events.js";
import { REGISTRY_SOURCE } from "../contracts/registry/registry-image-pushed.js";
import type {
  RegistryScanCompletedEvent,
  RegistryScanner,
} from "../contracts/registry/registry-scan-completed.js";
import { ShiplineError } from "../errors/shipline-error.js";

/** What a scan event says, whichever scanner sent it. */
export interface ScanResult {
  /**
   * `ecr` for ECR's `ECR Image Scan` (basic scanning, or the local scan service), `inspector2` for
   * `Inspector2 Scan`, `harbor` for `Harbor Scan Completed`, `registry` for `Registry Scan Completed`
   * (the scan job of a registry of kind oci).
   */
  readonly origin: "ecr" | "inspector2" | "harbor" | "registry";
  /** The repository name (for Inspector, taken from the ARN). */
  readonly repository: string;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly status: string;
  /** The registry of the repository: the AWS account, or Harbor's or the oci registry's host. */
  readonly registryId: string;
  /** The tool that wrote the report, when the event names it (`Registry Scan Completed`). */
  readonly scanner?: RegistryScanner;
  /** When the scanner finished, from the event. */
  readonly time: string;
}

/**
 * Reads a scan event of any scanner (Harbor's and the scan job's name their registry by host). Inspector's `repository-name` is the repository's ARN
 * (`arn:aws:ecr:<region>:<account>:repository/<name>`); its name and account are taken from it.
 * Throws a permanent `EVENT_INVALID` for an ARN that names no ECR repository.
 *
 * @example
 * ```ts
 * const scan = scanResultOf(event); // { origin: "inspector2", repository: "amazon/amazon-ecs-sample", ... }
 * ```
 */
export function scanResultOf(
  event: EcrImageScanEvent | Inspector2ScanEvent | HarborScanCompletedEvent | RegistryScanCompletedEvent,
): ScanResult {
  if (event.source === REGISTRY_SOURCE) {
    const { detail } = event;
    // The scan job scans by digest: the tags stay with the image's record.
    return {
      origin: "registry",
      repository: detail.repository,
      digest: detail.digest,
      tags: [],
      status: detail.status,
      registryId: detail.registry,
      scanner: detail.scanner,
      time: event.time,
    };
  }
  if (event.source === HARBOR_SOURCE) {
    const { detail } = event;
    return {
      origin: "harbor",
      repository: detail.repository,
      digest: detail.digest,
      tags: detail.tags,
      status: detail.scanStatus,
      registryId: detail.registry,
      time: event.time,
    };
  }
  const detail = event.detail;
  if (event.source === "aws.ecr") {
    return {
      origin: "ecr",
      repository: detail["repository-name"],
      digest: detail["image-digest"],
      tags: detail["image-tags"],
      status: detail["scan-status"],
      registryId: event.account,
      time: event.time,
    };
  }
  const arn = detail["repository-name"];
  const match = /^arn:[^:]+:ecr:[^:]*:(\d{12}):repository\/(.+)$/.exec(arn);
  if (!match?.[1] || !match[2]) {
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: `Inspector2 Scan names repository '${arn}', which is not an ECR repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>)`,
      data: { repository: arn },
      retryable: false,
    });
  }
  return {
    origin: "inspector2",
    repository: match[2],
    digest: detail["image-digest"],
    tags: detail["image-tags"],
    status: detail["scan-status"],
    registryId: match[1],
    time: event.time,
  };
}
