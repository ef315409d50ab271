import type { LedgerHop } from "./ledger-hop.js";

/**
 * One line telling the Helm chart of a hop, for trace and the timeline: the chart a build pushed
 * (`Chart Pushed`: name, version and where), or the chart version a config commit wrote beside the
 * image. Undefined for a hop about no chart.
 *
 * @example
 * ```ts
 * chartSummary(hop); // "chart demo-chart 1.4.0-0123456 → 127.0.0.1:5000/charts/demo-chart"
 * chartSummary(configCommittedHop); // "chart 1.4.0-0123456"
 * ```
 */
export function chartSummary(hop: Pick<LedgerHop, "chart" | "chartVersion">): string | undefined {
  if (hop.chart !== undefined)
    return `chart ${hop.chart.name} ${hop.chart.version} → ${hop.chart.repository}`;
  return hop.chartVersion === undefined ? undefined : `chart ${hop.chartVersion}`;
}
