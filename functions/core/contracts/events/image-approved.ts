import * as z from "zod";
import { detailBase, imageRef } from "../detail-base.js";
import { severityCounts } from "../primitives.js";

/** A finding the policy let through because of an allow-list entry. */
export const allowedFinding = z.object({
  id: z.string(),
  severity: z.string(),
  reason: z.string(),
  expires: z.string().optional(),
});

/** `Image Approved`: the scan policy passed the image. */
export const imageApprovedDetail = detailBase.extend({
  ...imageRef.shape,
  scanner: z.enum(["ecr-basic", "inspector2", "local", "harbor", "trivy", "grype"]),
  counts: severityCounts,
  allowed: z.array(allowedFinding).default([]),
  /** Why it passed, for the record (e.g. "no finding at or above HIGH"). */
  reason: z.string(),
});

/** Detail of `Image Approved`. */
export type ImageApproved = z.infer<typeof imageApprovedDetail>;
