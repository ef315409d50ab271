import type { BakeDetail } from "../contracts/events/bake-detail.js";

/** The one check of a metric gate: a Prometheus query or a CloudWatch alarm. */
export type MetricCheck = Pick<BakeDetail, "prometheus" | "cloudwatchAlarm">;

/**
 * What one read of a check said:
 * - `healthy`: the query returned no series, the alarm is OK;
 * - `breached`: the query returned a series, the alarm is in ALARM;
 * - `unknown`: no answer that can be judged (unreachable, an error, an alarm with insufficient data).
 * `says` tells it in words, with the values seen (for the outcome's reason and the logs).
 */
export interface MetricReading {
  readonly state: "healthy" | "breached" | "unknown";
  readonly says: string;
}

/**
 * Port: reads the check of a metric gate. Never throws for a check's own trouble (an unreachable
 * Prometheus, a missing alarm): that is an `unknown` reading, and the bake fails closed on it.
 *
 * @example
 * ```ts
 * const checks: MetricChecks = { read: async () => ({ state: "healthy", says: "no series" }) };
 * ```
 */
export interface MetricChecks {
  read(check: MetricCheck, options?: { readonly signal?: AbortSignal }): Promise<MetricReading>;
}

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
