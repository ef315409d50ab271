/**
 * Names of the variables the build of an app with a `chart` exports once the chart is pushed (the
 * generated buildspec's `exported-variables`, the local builder alike); `build-status` reads them
 * from CodeBuild's state change and publishes `Chart Pushed`.
 *
 * @example
 * ```ts
 * const exported = { [ChartVariable.Version]: "1.4.0-0123456" };
 * ```
 */
export const ChartVariable = {
  /** The chart's OCI repository with its registry host. */
  Repository: "SHIPLINE_CHART_URI",
  /** The chart's name (its `Chart.yaml` name). */
  Name: "SHIPLINE_CHART_NAME",
  /** The version the chart was packaged with: the image's tag. */
  Version: "SHIPLINE_CHART_VERSION",
  /** The digest (`sha256:...`) of the chart's OCI manifest. */
  Digest: "SHIPLINE_CHART_DIGEST",
} as const;
