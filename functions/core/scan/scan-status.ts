import type { ScanPolicy } from "../config/scan-policy.js";
import { countBySeverity, type ScanDecision } from "./evaluate-scan-policy.js";

/** What a scan event's `scan-status` means to the gate. */
export type ScanStatusKind =
  /** Findings are ready to read. */
  | "complete"
  /** The scanner cannot cover the image (e.g. an unsupported OS). */
  | "unsupported"
  /** The scan failed, or its findings cannot be had. */
  | "failed"
  /** Not done yet: no verdict. */
  | "pending";

/**
 * Classifies a scan status of ECR basic scanning (`COMPLETE`, `FAILED`, `UNSUPPORTED_IMAGE`,
 * `IN_PROGRESS`, `FINDINGS_UNAVAILABLE`), of Inspector (`INITIAL_SCAN_COMPLETE`, ...) or of Harbor
 * (`Success`, `Running`, `Error`, `Stopped`, ...). A status
 * the gate does not know counts as failed, so that the gate fails closed rather than guessing.
 *
 * @example
 * ```ts
 * classifyScanStatus("INITIAL_SCAN_COMPLETE"); // "complete"
 * classifyScanStatus("UNSUPPORTED_IMAGE"); // "unsupported"
 * ```
 */
export function classifyScanStatus(status: string): ScanStatusKind {
  const upper = status.toUpperCase();
  if (
    upper === "IN_PROGRESS" ||
    upper === "PENDING" ||
    upper.startsWith("PENDING_") ||
    upper === "RUNNING" ||
    upper === "SCHEDULED"
  ) {
    return "pending";
  }
  if (upper.includes("UNSUPPORTED")) return "unsupported";
  if (upper === "COMPLETE" || upper.endsWith("_COMPLETE") || upper === "ACTIVE" || upper === "SUCCESS") {
    return "complete";
  }
  return "failed";
}

/**
 * The decision for a scan that failed or cannot cover the image: rejected with the reason while
 * the policy fails closed (the default), else approved with the reason on record.
 *
 * @example
 * ```ts
 * const decision = decideScanFailure({ policy, status: "UNSUPPORTED_IMAGE", description: "UnsupportedImageError: ..." });
 * ```
 */
export function decideScanFailure(options: {
  readonly policy: Pick<ScanPolicy, "failClosed">;
  /** The scan status as the scanner reported it. */
  readonly status: string;
  /** The scanner's own explanation, when it gave one. */
  readonly description?: string;
}): ScanDecision {
  const { policy, status, description } = options;
  const what =
    classifyScanStatus(status) === "unsupported"
      ? `the scanner cannot cover this image (scan status ${status})`
      : `the scan did not produce findings (scan status ${status})`;
  const detail = description ? `: ${description}` : "";
  return {
    verdict: policy.failClosed ? "rejected" : "approved",
    counts: countBySeverity([]),
    blocking: [],
    allowed: [],
    expiredAllowances: [],
    reason: policy.failClosed
      ? `${what}${detail}; the scan policy fails closed (failClosed: true)`
      : `${what}${detail}; approved without findings because the scan policy has failClosed: false`,
  };
}

/**
 * The decision for an image that got no scan result within the policy's timeout: rejected (fail
 * closed) unless the policy's `onTimeout` is `approve`.
 *
 * @example
 * ```ts
 * const decision = decideScanTimeout({ policy: config.scanPolicy });
 * ```
 */
export function decideScanTimeout(options: {
  readonly policy: Pick<ScanPolicy, "timeoutSeconds" | "onTimeout">;
}): ScanDecision {
  const { policy } = options;
  const waited = `no scan result within ${formatSeconds(policy.timeoutSeconds)} of the push`;
  return {
    verdict: policy.onTimeout === "approve" ? "approved" : "rejected",
    counts: countBySeverity([]),
    blocking: [],
    allowed: [],
    expiredAllowances: [],
    reason:
      policy.onTimeout === "approve"
        ? `${waited}; approved unscanned because the scan policy has onTimeout: approve`
        : `${waited}; rejected because the scan policy fails closed on a timeout (onTimeout: reject)`,
  };
}

function formatSeconds(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.length === 0 ? "0s" : parts.join("");
}
