import type { MetricCheck } from "../contracts/events/metric-check.js";

export { describeMetricCheck, type MetricCheck } from "../contracts/events/metric-check.js";

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
