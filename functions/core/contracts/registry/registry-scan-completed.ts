import * as z from "zod";
import { envelopeOf } from "../event-envelope.js";
import { imageDigest } from "../primitives.js";
import { REGISTRY_SOURCE } from "./registry-image-pushed.js";
import { registryScanReportKey } from "./registry-scan-report-key.js";

/** The detail type of a finished scan of an image of a registry of kind oci. */
export const REGISTRY_SCAN_COMPLETED = "Registry Scan Completed";

/** The scanning tools whose JSON report the scan gate reads. */
export const REGISTRY_SCANNERS = ["trivy", "grype"] as const;

/** A scanning tool of {@link REGISTRY_SCANNERS}. */
export type RegistryScanner = (typeof REGISTRY_SCANNERS)[number];

/**
 * Detail of `Registry Scan Completed`: the scan job's outcome for one image of a registry with no
 * scanner of its own. A `COMPLETE` scan names the report it wrote, which must be the image's
 * {@link registryScanReportKey}; a `FAILED` one may name none (the gate fails closed on it).
 */
export const registryScanCompletedDetail = z
  .object({
    /** The registry's host as image references name it, e.g. `ghcr.io`. */
    registry: z.string().min(1),
    /** The repository inside the registry, e.g. `acme/api`. */
    repository: z.string().min(1),
    digest: imageDigest,
    /** `COMPLETE`: the report is in the bucket; `FAILED`: the scan or its upload failed. */
    status: z.enum(["COMPLETE", "FAILED"]),
    /** The report's key in the scan reports' bucket. */
    reportKey: z.string().min(1).optional(),
    /** The tool that wrote the report. */
    scanner: z.enum(REGISTRY_SCANNERS),
    /** When the scan ended (ISO 8601). */
    occurredAt: z.string().min(1),
  })
  .superRefine((detail, ctx) => {
    const expected = registryScanReportKey(detail);
    if (detail.status === "COMPLETE" && detail.reportKey !== expected) {
      ctx.addIssue({
        code: "custom",
        path: ["reportKey"],
        message: `a COMPLETE scan's report is at '${expected}', not '${detail.reportKey ?? "(none)"}'`,
      });
    }
  });

/** `shipline.registry` / `Registry Scan Completed`. */
export const registryScanCompletedEvent = envelopeOf(registryScanCompletedDetail).extend({
  source: z.literal(REGISTRY_SOURCE),
  "detail-type": z.literal(REGISTRY_SCAN_COMPLETED),
});

/** Detail of a `Registry Scan Completed` event. */
export type RegistryScanCompleted = z.infer<typeof registryScanCompletedDetail>;
/** A `Registry Scan Completed` event. */
export type RegistryScanCompletedEvent = z.infer<typeof registryScanCompletedEvent>;
