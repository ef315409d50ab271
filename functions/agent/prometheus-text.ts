/** Label values of one series, by label name. */
export type Labels = Readonly<Record<string, string>>;

/**
 * A counter family with labels, rendered in Prometheus' text exposition format (0.0.4).
 *
 * @example
 * ```ts
 * const deployments = new CounterFamily("shipline_deployments_total", "Deployments.", ["app", "outcome"]);
 * deployments.inc({ app: "demo", outcome: "verified" });
 * deployments.render(); // ["# HELP …", "# TYPE shipline_deployments_total counter", "shipline_deployments_total{app=\"demo\",outcome=\"verified\"} 1"]
 * ```
 */
export class CounterFamily {
  readonly #values = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** Adds `by` (default 1) to the series of `labels`. */
  inc(labels: Labels, by = 1): void {
    const key = seriesKey(this.labelNames, labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }

  /** The family's lines: HELP, TYPE and one line per series. */
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.#values].map(([key, value]) => `${this.name}${key} ${value}`),
    ];
  }
}

/**
 * A histogram family with labels (cumulative `_bucket{le}`, `_sum` and `_count` per series), rendered
 * in Prometheus' text exposition format.
 *
 * @example
 * ```ts
 * const lead = new HistogramFamily("shipline_deployment_lead_time_seconds", "Lead time.", ["app"], [60, 300]);
 * lead.observe({ app: "demo" }, 42);
 * ```
 */
export class HistogramFamily {
  readonly #series = new Map<string, { buckets: number[]; sum: number; count: number; labels: Labels }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    readonly bounds: readonly number[],
  ) {}

  /** Records one observation in the series of `labels`. */
  observe(labels: Labels, value: number): void {
    const key = seriesKey(this.labelNames, labels);
    const series = this.#series.get(key) ?? { buckets: this.bounds.map(() => 0), sum: 0, count: 0, labels };
    this.bounds.forEach((bound, index) => {
      if (value <= bound) series.buckets[index] = (series.buckets[index] ?? 0) + 1;
    });
    series.sum += value;
    series.count += 1;
    this.#series.set(key, series);
  }

  /** The family's lines: HELP, TYPE and the bucket, sum and count lines of each series. */
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const series of this.#series.values()) {
      const withLe = (le: string) => seriesKey([...this.labelNames, "le"], { ...series.labels, le });
      this.bounds.forEach((bound, index) => {
        lines.push(`${this.name}_bucket${withLe(String(bound))} ${series.buckets[index] ?? 0}`);
      });
      lines.push(`${this.name}_bucket${withLe("+Inf")} ${series.count}`);
      const plain = seriesKey(this.labelNames, series.labels);
      lines.push(`${this.name}_sum${plain} ${series.sum}`, `${this.name}_count${plain} ${series.count}`);
    }
    return lines;
  }
}

/** `{a="1",b="2"}` in the family's label order (empty without labels). */
function seriesKey(labelNames: readonly string[], labels: Labels): string {
  if (labelNames.length === 0) return "";
  return `{${labelNames.map((name) => `${name}="${escapeLabel(labels[name] ?? "")}"`).join(",")}}`;
}

/** A label value escaped as the text format asks: backslash, double quote and line feed. */
export function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}
