import * as z from "zod";
import { detailBase } from "../detail-base.js";
import { imageDigest } from "../primitives.js";

const text = z.string().min(1);

/**
 * `Chart Pushed`: the build of an app with a `chart` packaged it with the version the build
 * computed (the image's tag) and pushed it, before the image, as an OCI artifact with Helm's media
 * types. A deploy target with `chartVersion` writes that version with the image.
 */
export const chartPushedDetail = detailBase.extend({
  /** The OCI repository with its registry host, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-chart`. */
  repository: text,
  /** The chart's name (its `Chart.yaml` name). */
  name: text,
  /** The chart's SemVer version, the image's tag. */
  version: text,
  /** The chart manifest's digest. */
  digest: imageDigest,
  /** The build that pushed it. */
  buildId: text,
});

/** Detail of `Chart Pushed`. */
export type ChartPushed = z.infer<typeof chartPushedDetail>;
