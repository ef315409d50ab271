import * as z from "zod";
import { imageDigest } from "../contracts/primitives.js";

/** Harbor's webhook event types Shipline acts on. */
export const HARBOR_EVENT_TYPES = ["PUSH_ARTIFACT", "SCANNING_COMPLETED"] as const;

/** One scanner's summary of an artifact, as Harbor puts it in `scan_overview` (keyed by report MIME type). */
const harborScanSummary = z.looseObject({
  /** `Pending`, `Running`, `Success`, `Error`, `Stopped`. */
  scan_status: z.string().min(1),
  severity: z.string().optional(),
  scanner: z.looseObject({ name: z.string().optional(), vendor: z.string().optional() }).optional(),
});

/** One artifact of a Harbor event (`event_data.resources[]`). */
const harborResource = z.looseObject({
  digest: imageDigest,
  /** The tag pushed or scanned; absent or empty for an artifact without one. */
  tag: z.string().optional(),
  /** `<harbor host>/<project>/<repository>:<tag>` (or `@<digest>`). */
  resource_url: z.string().min(1),
  /** Present on `SCANNING_COMPLETED`: one summary per report type. */
  scan_overview: z.record(z.string(), harborScanSummary).optional(),
});

/**
 * The body of Harbor's `Default` webhook payload format (an HTTP notify type): the event `type`, when
 * it occurred (Unix seconds), who caused it and the artifacts and repository it concerns. Only the
 * fields Shipline reads are checked; Harbor's other fields are kept.
 *
 * @example
 * ```ts
 * const payload = harborWebhookPayload.parse(JSON.parse(body));
 * payload.event_data.repository.repo_full_name; // "library/demo"
 * ```
 */
export const harborWebhookPayload = z.looseObject({
  type: z.string().min(1),
  occur_at: z.number().int().nonnegative(),
  operator: z.string().optional(),
  event_data: z.looseObject({
    resources: z.array(harborResource).min(1),
    repository: z.looseObject({
      /** The project. */
      namespace: z.string().min(1),
      /** The repository inside the project. */
      name: z.string().min(1),
      /** `<project>/<repository>`: the repository's name in the registry. */
      repo_full_name: z.string().min(1),
    }),
  }),
});

/** A Harbor webhook payload (see {@link harborWebhookPayload}). */
export type HarborWebhookPayload = z.output<typeof harborWebhookPayload>;

/** One artifact of a Harbor webhook payload. */
export type HarborResource = z.output<typeof harborResource>;
