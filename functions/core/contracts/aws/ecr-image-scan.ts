import * as z from "zod";
import { envelopeOf } from "../event-envelope.js";

/** Detail of ECR's basic-scanning `ECR Image Scan` event. */
export const ecrImageScanDetail = z.object({
  "scan-status": z.enum(["COMPLETE", "FAILED", "UNSUPPORTED_IMAGE", "IN_PROGRESS", "FINDINGS_UNAVAILABLE"]),
  "repository-name": z.string().min(1),
  "image-digest": z.string().min(1),
  "image-tags": z.array(z.string()).default([]),
  "finding-severity-counts": z.record(z.string(), z.number().int().nonnegative()).default({}),
});

/** `aws.ecr` / `ECR Image Scan`. */
export const ecrImageScanEvent = envelopeOf(ecrImageScanDetail).extend({
  source: z.literal("aws.ecr"),
  "detail-type": z.literal("ECR Image Scan"),
});

/** An `ECR Image Scan` event. */
export type EcrImageScanEvent = z.infer<typeof ecrImageScanEvent>;
