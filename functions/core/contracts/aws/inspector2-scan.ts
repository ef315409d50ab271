import * as z from "zod";
import { envelopeOf } from "../event-envelope.js";

/** Detail of Inspector's enhanced-scanning `Inspector2 Scan` event; `repository-name` is an ARN. */
export const inspector2ScanDetail = z.object({
  "scan-status": z.string().min(1),
  "repository-name": z.string().startsWith("arn:", "expected the repository's ARN (arn:aws:ecr:...)"),
  "image-digest": z.string().min(1),
  "image-tags": z.array(z.string()).default([]),
  "finding-severity-counts": z.record(z.string(), z.number().int().nonnegative()).default({}),
});

/** `aws.inspector2` / `Inspector2 Scan`. */
export const inspector2ScanEvent = envelopeOf(inspector2ScanDetail).extend({
  source: z.literal("aws.inspector2"),
  "detail-type": z.literal("Inspector2 Scan"),
});

/** An `Inspector2 Scan` event. */
export type Inspector2ScanEvent = z.infer<typeof inspector2ScanEvent>;
