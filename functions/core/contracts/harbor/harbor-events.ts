import * as z from "zod";
import { envelopeOf } from "../event-envelope.js";
import { imageDigest } from "../primitives.js";

/**
 * The `source` of the events the webhook publishes for Harbor's notifications. They are no
 * Shipline detail type (they carry no app or commit yet): like AWS's service events, they are what
 * a registry reported, for `image-pushed` and the scan gate to act on.
 */
export const HARBOR_SOURCE = "shipline.harbor";

/** What every Harbor event says about its artifact. */
const harborArtifact = z.object({
  /** Harbor's host, from the artifact's `resource_url`, e.g. `harbor.example.com`. */
  registry: z.string().min(1),
  /** The repository's name in Harbor: `<project>/<repository>`. */
  repository: z.string().min(1),
  digest: imageDigest,
  /** The tag pushed or scanned; empty for an artifact pushed by digest. */
  tags: z.array(z.string().min(1)),
  /** When Harbor says it happened (ISO 8601). */
  occurredAt: z.string().min(1),
});

/** Detail of `Harbor Artifact Pushed`. */
export const harborArtifactPushedDetail = harborArtifact.extend({
  /** The Harbor user or robot that pushed. */
  operator: z.string().optional(),
});

/** Detail of `Harbor Scan Completed`. */
export const harborScanCompletedDetail = harborArtifact.extend({
  /** Harbor's scan status: `Success`, `Error`, `Stopped`, ... */
  scanStatus: z.string().min(1),
  /** The scanner Harbor ran (Trivy by default). */
  scanner: z.string().optional(),
});

/** `shipline.harbor` / `Harbor Artifact Pushed`: Harbor's `PUSH_ARTIFACT`, one event per artifact. */
export const harborArtifactPushedEvent = envelopeOf(harborArtifactPushedDetail).extend({
  source: z.literal(HARBOR_SOURCE),
  "detail-type": z.literal("Harbor Artifact Pushed"),
});

/** `shipline.harbor` / `Harbor Scan Completed`: Harbor's `SCANNING_COMPLETED`, one event per artifact. */
export const harborScanCompletedEvent = envelopeOf(harborScanCompletedDetail).extend({
  source: z.literal(HARBOR_SOURCE),
  "detail-type": z.literal("Harbor Scan Completed"),
});

/** A `Harbor Artifact Pushed` event. */
export type HarborArtifactPushedEvent = z.infer<typeof harborArtifactPushedEvent>;
/** A `Harbor Scan Completed` event. */
export type HarborScanCompletedEvent = z.infer<typeof harborScanCompletedEvent>;
/** Detail of a `Harbor Artifact Pushed` event. */
export type HarborArtifactPushed = z.infer<typeof harborArtifactPushedDetail>;
/** Detail of a `Harbor Scan Completed` event. */
export type HarborScanCompleted = z.infer<typeof harborScanCompletedDetail>;

/** The detail types of Harbor's events, as published. */
export const HarborDetailType = {
  ArtifactPushed: "Harbor Artifact Pushed",
  ScanCompleted: "Harbor Scan Completed",
} as const;

/** One Harbor event to publish (the bus adds the envelope). */
export type HarborEventRequest =
  | { readonly detailType: typeof HarborDetailType.ArtifactPushed; readonly detail: HarborArtifactPushed }
  | { readonly detailType: typeof HarborDetailType.ScanCompleted; readonly detail: HarborScanCompleted };
