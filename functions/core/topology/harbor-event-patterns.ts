import { harborArtifactPushedEvent, harborScanCompletedEvent } from "../contracts/harbor/harbor-events.js";
import type { EventPattern } from "./rule-definition.js";

/**
 * The patterns of the events the webhook publishes for Harbor's notifications (source
 * `shipline.harbor`), built from their contracts. Every scan status is kept: the scan gate fails
 * closed on a failed one.
 *
 * @example
 * ```ts
 * const rule = { eventPattern: HARBOR_EVENT_PATTERNS.artifactPushed, ... };
 * ```
 */
export const HARBOR_EVENT_PATTERNS = {
  artifactPushed: {
    source: [harborArtifactPushedEvent.shape.source.value],
    "detail-type": [harborArtifactPushedEvent.shape["detail-type"].value],
  },
  scanCompleted: {
    source: [harborScanCompletedEvent.shape.source.value],
    "detail-type": [harborScanCompletedEvent.shape["detail-type"].value],
  },
} as const satisfies Readonly<Record<string, EventPattern>>;
