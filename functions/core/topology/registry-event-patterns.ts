import { DetailType, SHIPLINE_SOURCE } from "../contracts/detail-type.js";
import { registryScanCompletedEvent } from "../contracts/registry/registry-scan-completed.js";
import type { EventPattern } from "./rule-definition.js";

/**
 * The pattern of the scan job's `Registry Scan Completed` (source `shipline.registry`), built from
 * its contract. Both statuses are kept: the scan gate fails closed on a failed scan.
 *
 * @example
 * ```ts
 * const rule = { eventPattern: REGISTRY_SCAN_COMPLETED_PATTERN, ... };
 * ```
 */
export const REGISTRY_SCAN_COMPLETED_PATTERN = {
  source: [registryScanCompletedEvent.shape.source.value],
  "detail-type": [registryScanCompletedEvent.shape["detail-type"].value],
} as const satisfies EventPattern;

/**
 * The pattern of the `Image Pushed` events whose image lives in a registry (by host, as `imageUri`
 * names it: `<host>/<repository>:<tag>@<digest>`): what starts the scan job of a registry of kind
 * oci on AWS. The prefix ends with `/`, so that `ghcr.io` does not match `ghcr.io.example.com`.
 *
 * @example
 * ```ts
 * registryScanTriggerPattern("ghcr.io");
 * // { source: ["shipline"], "detail-type": ["Image Pushed"], detail: { imageUri: [{ prefix: "ghcr.io/" }] } }
 * ```
 */
export function registryScanTriggerPattern(host: string): EventPattern {
  return {
    source: [SHIPLINE_SOURCE],
    "detail-type": [DetailType.ImagePushed],
    detail: { imageUri: [{ prefix: `${host}/` }] },
  };
}
