import { ChartVariable } from "../../../core/build/chart-variable.js";
import type { ChartConfig } from "../../../core/config/app.js";
import { splitImageRepository } from "../../../core/config/image-repository.js";
import type { BuildLog } from "../build-log.js";
import { RegistryClient } from "../image/registry-client.js";
import { chartArtifact } from "./chart-artifact.js";
import { packageChart } from "./package-chart.js";

/** A packaged chart waiting for POST_BUILD to push it. */
export interface PreparedChart {
  /** `host/path` of the chart's repository. */
  readonly repositoryUri: string;
  /** Pushes the chart and resolves with the variables the build exports about it ({@link ChartVariable}). */
  push(): Promise<Record<string, string>>;
}

/**
 * The chart part of the build contract: packages the app's chart with the build's version (the
 * image's tag; see `packageChart`) and prepares its push, as an OCI artifact with Helm's media
 * types over the distribution API, to `chart.repository`: a bare name lives in the registry the
 * image goes to, as on AWS a bare name is an ECR repository of the account.
 *
 * @example
 * ```ts
 * const chart = await prepareChart({ sourceDir, chart: app.chart, imageRepositoryUri, version: tag, log });
 * const exported = await chart.push(); // { SHIPLINE_CHART_VERSION: "1.4.0-0123456", ... }
 * ```
 */
export async function prepareChart(options: {
  readonly sourceDir: string;
  readonly chart: ChartConfig;
  /** `host/path` of the image's repository; its host is the registry of a bare chart repository. */
  readonly imageRepositoryUri: string;
  readonly version: string;
  readonly log: BuildLog;
}): Promise<PreparedChart> {
  const { chart, log } = options;
  const imageHost = options.imageRepositoryUri.slice(0, options.imageRepositoryUri.indexOf("/"));
  const repositoryUri =
    splitImageRepository(chart.repository).registry === undefined
      ? `${imageHost}/${chart.repository}`
      : chart.repository;
  const slash = repositoryUri.indexOf("/");
  const packaged = await packageChart({
    sourceDir: options.sourceDir,
    chartPath: chart.path,
    version: options.version,
    repository: repositoryUri,
  });
  const artifact = chartArtifact(packaged);
  log.line(`Packaged chart ${packaged.name} ${packaged.version} from ${chart.path}`);
  return {
    repositoryUri,
    push: async () => {
      log.line(`Pushing chart oci://${repositoryUri}:${packaged.version}`);
      const digest = await new RegistryClient(repositoryUri.slice(0, slash)).push({
        repository: repositoryUri.slice(slash + 1),
        tag: packaged.version,
        image: artifact,
      });
      log.line(`Pushed chart ${repositoryUri}:${packaged.version}@${digest}`);
      return {
        [ChartVariable.Repository]: repositoryUri,
        [ChartVariable.Name]: packaged.name,
        [ChartVariable.Version]: packaged.version,
        [ChartVariable.Digest]: digest,
      };
    },
  };
}
