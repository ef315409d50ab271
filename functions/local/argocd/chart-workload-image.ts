import { parse, stringify } from "yaml";
import type { ImageReference } from "../../core/manifest/image-reference.js";
import { readHelmImage } from "../../core/manifest/read-workload-image.js";
import type { PulledChart } from "./oci-chart-source.js";

/**
 * The image a dependency chart renders, as Helm computes its values: the chart's own `values.yaml`,
 * overridden key by key (maps merged, other values replaced) by the parent's values under the
 * dependency's key, file after file. `image` is read from the result (`repository` + `tag` /
 * `digest`, or one reference); with neither tag nor digest the tag is the chart's `appVersion`,
 * the `{{ .Values.image.tag | default .Chart.AppVersion }}` of `helm create`'s chart. Undefined
 * when the values set no image.
 *
 * @example
 * ```ts
 * chartWorkloadImage({ chart, key: "demo", parentValues: ["demo:\n  image:\n    tag: 1.4.0-0123456\n"] });
 * // { repository: "demo", tag: "1.4.0-0123456" }
 * ```
 */
export function chartWorkloadImage(options: {
  readonly chart: PulledChart;
  readonly key: string;
  /** The parent's values files, in order (later files win). */
  readonly parentValues: readonly string[];
}): ImageReference | undefined {
  let values: unknown = parse(options.chart.files.get("values.yaml") ?? "") ?? {};
  for (const text of options.parentValues) {
    const parent: unknown = parse(text);
    if (isRecord(parent) && parent[options.key] !== undefined) values = merge(values, parent[options.key]);
  }
  const image = readHelmImage({ text: stringify(isRecord(values) ? { image: values.image } : {}) });
  if (image === undefined) return undefined;
  if ((image.tag === undefined || image.tag === "") && image.digest === undefined) {
    const { tag: _empty, ...rest } = image;
    return options.chart.appVersion === undefined ? rest : { ...rest, tag: options.chart.appVersion };
  }
  return image;
}

function merge(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = merge(base[key], value);
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
