import type { MetricCheck, MetricChecks, MetricReading } from "../core/agent/metric-checks.js";

/** A reader of one kind of check. */
interface CheckReader<T> {
  read(check: T, options?: { readonly signal?: AbortSignal }): Promise<MetricReading>;
}

/** Options of {@link AgentMetricChecks}. */
export interface AgentMetricChecksOptions {
  /** Reads Prometheus queries (`PrometheusQueryCheck`). */
  readonly prometheus: CheckReader<{ readonly url: string; readonly query: string }>;
  /**
   * Reads CloudWatch alarms (`CloudWatchAlarmCheck`).
   * @default - an alarm check has no answer (the local runtime reaches no CloudWatch), so it fails closed
   */
  readonly cloudwatch?: CheckReader<string>;
}

/**
 * The agent's {@link MetricChecks}: hands a Prometheus check to the Prometheus reader and a
 * CloudWatch alarm to the CloudWatch reader.
 *
 * @example
 * ```ts
 * const checks = new AgentMetricChecks({ prometheus: new PrometheusQueryCheck(), cloudwatch });
 * ```
 */
export class AgentMetricChecks implements MetricChecks {
  readonly #options: AgentMetricChecksOptions;

  constructor(options: AgentMetricChecksOptions) {
    this.#options = options;
  }

  /** Reads the check with the reader of its kind. */
  async read(check: MetricCheck, options: { readonly signal?: AbortSignal } = {}): Promise<MetricReading> {
    if (check.prometheus !== undefined) return this.#options.prometheus.read(check.prometheus, options);
    if (check.cloudwatchAlarm === undefined) return { state: "unknown", says: "the bake names no check" };
    if (this.#options.cloudwatch === undefined) {
      return {
        state: "unknown",
        says: "this agent reaches no CloudWatch (the local runtime); use a prometheus check",
      };
    }
    return this.#options.cloudwatch.read(check.cloudwatchAlarm, options);
  }
}
