import * as z from "zod";
import { detailBase } from "../detail-base.js";

/**
 * `Chart Pushed`: the build of an app with a `chart` packaged it with the version the build
 * computed (the image's tag) and pushed it, before the image, as an OCI artifact with Helm's media
 * types. A deploy target with `chartVersion` writes that version with the image.
 */
export const chartPushedDetail = detailBase.extend({
  /** The OCI repository with its registry host, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-chart`. */
  repository: z.string().min(1),
  /** The chart's name (its `Chart.yaml` name). */
  name: z.string().min(1),
  /** The chart's SemVer version, the image's tag. */
  version: z.string().min(1),
  /** The chart manifest's digest. */
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, "expected sha256:<64 hex characters>"),
  /** The build that pushed it. */
  buildId: z.string().min(1),
});

/** Detail of `Chart Pushed`. */
export type ChartPushed = z.infer<typeof chartPushedDetail>;
