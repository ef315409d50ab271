import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { isMap, parseDocument } from "yaml";
import * as z from "zod";
import { formatIssues } from "../../../core/contracts/format-issues.js";
import { ShiplineError } from "../../../core/errors/shipline-error.js";
import { assertChartVersion } from "../../../core/manifest/validate-values.js";
import { tarLayer } from "../image/tar-layer.js";
import { readChartFiles } from "./read-chart-files.js";

/** Options of {@link packageChart}. */
export interface PackageChartOptions {
  /** The checkout. */
  readonly sourceDir: string;
  /** The app's `chart.path`: the chart directory, relative to the checkout. */
  readonly chartPath: string;
  /** The version the build computed (the image's tag); it must be SemVer 2, as Helm requires. */
  readonly version: string;
  /** The chart's OCI repository: its last path segment must be the chart's name, as `helm push` names it. */
  readonly repository: string;
}

/** A chart packaged as `helm package` does. */
export interface PackagedChart {
  readonly name: string;
  readonly version: string;
  /** The gzipped tar of the chart directory, under `<name>/`, with the version set in its `Chart.yaml`. */
  readonly archive: Buffer;
  /** `Chart.yaml` as JSON, the way Helm records it in the artifact's config. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

const chartMetadata = z.looseObject({
  apiVersion: z.enum(["v1", "v2"], { error: "expected apiVersion: v2 (or v1)" }),
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "expected a lower-case chart name such as demo"),
  version: z.unknown(),
});

/**
 * Packages an app's chart the way `helm package --version <v> --app-version <v>` does: its
 * directory (less what `.helmignore` names) as a gzipped tar under `<name>/`, with `version` and
 * `appVersion` of `Chart.yaml` set to the version the build computed, so that the chart pins the
 * image it was built with. The tar is reproducible (fixed times and owners).
 *
 * Throws permanent ShiplineErrors that say what to fix: `CHART_NOT_FOUND` (no `Chart.yaml` at
 * `chart.path`), `CHART_INVALID` (not a chart Helm would load), `CHART_NAME_MISMATCH` (the name is
 * not the repository's last segment), `CHART_VERSION_INVALID` (the version is not SemVer 2),
 * `CHART_SYMLINK` (a file of the chart is a symbolic link, none is followed; or `chart.path` leads
 * out of the checkout through one).
 *
 * @example
 * ```ts
 * const chart = await packageChart({ sourceDir, chartPath: "charts/demo", version: "1.4.0-0123456", repository: "127.0.0.1:5000/charts/demo" });
 * chart.archive; // demo/Chart.yaml, demo/values.yaml, demo/templates/...
 * ```
 */
export async function packageChart(options: PackageChartOptions): Promise<PackagedChart> {
  const root = path.resolve(options.sourceDir, options.chartPath);
  // chart.path may not lead out of the checkout through a symbolic link on the way.
  const real = await realpath(root).catch(() => undefined);
  const checkout = await realpath(options.sourceDir);
  if (real !== undefined && real !== checkout && !real.startsWith(`${checkout}${path.sep}`)) {
    throw new ShiplineError({
      code: "CHART_SYMLINK",
      message: `chart.path '${options.chartPath}' leads out of the checkout (to '${real}') through a symbolic link; point chart.path at the chart directory itself in shipline.config.yaml`,
      data: { chartPath: options.chartPath, target: real },
    });
  }
  const directory = await stat(root).catch(() => undefined);
  const files = directory?.isDirectory() ? await readChartFiles(root, options.chartPath) : [];
  const chartFile = files.find((file) => file.path === "Chart.yaml");
  if (chartFile === undefined) {
    throw new ShiplineError({
      code: "CHART_NOT_FOUND",
      message: `chart.path '${options.chartPath}' holds no Chart.yaml in the commit being built; fix chart.path in shipline.config.yaml, or add the chart there`,
      data: { chartPath: options.chartPath },
    });
  }
  const document = parseDocument(chartFile.content.toString("utf8"));
  const parsed = chartMetadata.safeParse(document.errors.length > 0 ? undefined : document.toJS());
  if (!isMap(document.contents) || !parsed.success) {
    const problems = document.errors.length
      ? document.errors.map((error) => error.message)
      : parsed.success
        ? ["it is not a mapping"]
        : formatIssues(parsed.error.issues);
    throw new ShiplineError({
      code: "CHART_INVALID",
      message: `${options.chartPath}/Chart.yaml is not a chart Helm would load: ${problems.join("; ")}; fix it (see helm.sh/docs/topics/charts)`,
      data: { chartPath: options.chartPath, problems },
    });
  }
  const name = parsed.data.name;
  const expected = options.repository.split("/").at(-1);
  if (name !== expected) {
    throw new ShiplineError({
      code: "CHART_NAME_MISMATCH",
      message: `the chart at '${options.chartPath}' is named '${name}' but chart.repository '${options.repository}' ends in '${expected}'; make them the same (helm push names the repository after the chart)`,
      data: { name, repository: options.repository },
    });
  }
  try {
    assertChartVersion(options.version);
  } catch (error) {
    throw new ShiplineError({
      code: "CHART_VERSION_INVALID",
      message: `the chart's version is the image tag '${options.version}', which is not SemVer 2 (Helm refuses it); give the app a tag template such as {version}-{sha7}`,
      data: { version: options.version },
      cause: error,
    });
  }
  document.set("version", options.version);
  document.set("appVersion", options.version);
  const edited = Buffer.from(document.toString());
  const layer = tarLayer(
    files.map((file) => ({
      kind: "file" as const,
      path: `/${name}/${file.path}`,
      mode: file.mode,
      content: file === chartFile ? edited : file.content,
    })),
  );
  return { name, version: options.version, archive: layer.blob, metadata: document.toJS() };
}
