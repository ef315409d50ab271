import type { BakeDetail } from "./bake-detail.js";

/** The one check of a metric gate: a Prometheus query or a CloudWatch alarm. */
export type MetricCheck = Pick<BakeDetail, "prometheus" | "cloudwatchAlarm">;

/**
 * Describes a check for messages: `Prometheus query 'up == 0'` or `CloudWatch alarm shop-5xx`.
 *
 * @example
 * ```ts
 * describeMetricCheck({ cloudwatchAlarm: "shop-5xx" }); // "CloudWatch alarm shop-5xx"
 * ```
 */
export function describeMetricCheck(check: MetricCheck): string {
  if (check.prometheus !== undefined) return `Prometheus query '${check.prometheus.query}'`;
  if (check.cloudwatchAlarm !== undefined) return `CloudWatch alarm ${check.cloudwatchAlarm}`;
  return "no check";
}
