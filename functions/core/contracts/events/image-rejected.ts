import * as z from "zod";
import { detailBase, imageRef } from "../detail-base.js";
import { severityCounts } from "../primitives.js";

/** A finding that blocks an image. */
export const blockingFinding = z.object({
  id: z.string(),
  severity: z.string(),
  package: z.string().optional(),
  installedVersion: z.string().optional(),
  fixedVersion: z.string().optional(),
  /** Set when an allow-list entry existed but had expired. */
  note: z.string().optional(),
});

/** `Image Rejected`: the scan policy blocked the image, or the scan failed or never came. */
export const imageRejectedDetail = detailBase.extend({
  ...imageRef.shape,
  scanner: z.enum(["ecr-basic", "inspector2", "local", "harbor", "trivy", "grype"]).optional(),
  counts: severityCounts.default({}),
  blocking: z.array(blockingFinding).default([]),
  reason: z.string().min(1),
});

/** Detail of `Image Rejected`. */
export type ImageRejected = z.infer<typeof imageRejectedDetail>;
