import { formatDuration } from "../config/duration.js";
import type { BakeDetail } from "../contracts/events/bake-detail.js";
import { describeMetricCheck } from "../contracts/events/metric-check.js";

/**
 * One line telling a deployment's metric gate, for trace and the timeline: the window, the check and
 * how many times it was read (the reason of a failure says what it returned).
 *
 * @example
 * ```ts
 * bakeSummary({ window: 300, cloudwatchAlarm: "shop-5xx", checks: 21 }); // "baked 5m on CloudWatch alarm shop-5xx (21 checks)"
 * ```
 */
export function bakeSummary(bake: BakeDetail): string {
  const checks =
    bake.checks === undefined ? "" : ` (${bake.checks === 1 ? "1 check" : `${bake.checks} checks`})`;
  return `baked ${formatDuration(bake.window)} on ${describeMetricCheck(bake)}${checks}`;
}
