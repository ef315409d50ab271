import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { AgentMetrics } from "../../../functions/agent/agent-metrics.js";
import { DeliveryMetricName } from "../../../functions/agent/delivery-metrics.js";

const DASHBOARD = new URL(
  "../../../functions/agent/chart/dashboards/shipline-delivery.json",
  import.meta.url,
);

const target = z.object({ expr: z.string().min(1) });
const panel = z.object({ title: z.string(), type: z.string(), targets: z.array(target).optional() });
const dashboard = z.object({
  uid: z.string().min(1),
  title: z.string().min(1),
  panels: z.array(panel).min(1),
  templating: z.object({ list: z.array(z.looseObject({ name: z.string(), query: z.unknown() })) }),
});

/** Every PromQL expression of the dashboard: its panels' targets and its variables' queries. */
async function expressions(): Promise<string[]> {
  const parsed = dashboard.parse(JSON.parse(await readFile(DASHBOARD, "utf8")));
  const variables = parsed.templating.list.flatMap((variable) => {
    const query = variable.query;
    if (typeof query === "string") return [query];
    const nested = z.object({ query: z.string() }).safeParse(query);
    return nested.success ? [nested.data.query] : [];
  });
  return [...parsed.panels.flatMap((entry) => (entry.targets ?? []).map((each) => each.expr)), ...variables];
}

/** The series names the agent's /metrics can show: each family, and a histogram's _bucket, _sum and _count. */
function exportedNames(): Set<string> {
  const names = new Set<string>();
  for (const line of new AgentMetrics().render().split("\n")) {
    const typed = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
    if (typed === null) continue;
    const [, name = "", type] = typed;
    if (type === "histogram")
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
    else names.add(name);
  }
  return names;
}

describe("the Grafana dashboard", () => {
  it("queries only metrics the agent exports", async () => {
    // Arrange
    const exported = exportedNames();

    // Act
    const queried = new Set(
      (await expressions()).flatMap((expr) => expr.match(/\bshipline_[a-z0-9_]+/g) ?? []),
    );

    // Assert
    expect(queried.size).toBeGreaterThan(0);
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
  });

  it("shows every delivery metric the agent exports", async () => {
    // Arrange
    const text = (await expressions()).join("\n");

    // Act
    const missing = Object.values(DeliveryMetricName).filter((name) => !text.includes(name));

    // Assert
    expect(missing).toEqual([]);
  });
});

describe("the agent's chart", () => {
  it("ships the dashboard as a ConfigMap for Grafana's dashboard sidecar, when asked", async () => {
    // Arrange
    const chart = new URL("../../../functions/agent/chart/", import.meta.url);

    // Act
    const template = await readFile(new URL("templates/grafana-dashboard.yaml", chart), "utf8");
    const values = await readFile(new URL("values.yaml", chart), "utf8");

    // Assert
    expect(template).toContain('.Files.Get "dashboards/shipline-delivery.json"');
    expect(template).toMatch(/^\{\{- if \.Values\.metrics\.grafanaDashboard\.enabled \}\}/);
    expect(values).toMatch(/grafanaDashboard:\n {4}enabled: false\n {4}labels:\n {6}grafana_dashboard: "1"/);
  });
});
