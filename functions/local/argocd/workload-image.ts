import { ShiplineError } from "../../core/errors/shipline-error.js";
import { formatImageReference, type ImageReference } from "../../core/manifest/image-reference.js";
import { readHelmImage, readKustomizeImages } from "../../core/manifest/read-workload-image.js";
import type { ApplicationManifest } from "./application-manifest.js";
import { type OciDependency, ociDependencyOf } from "./chart-dependency.js";
import { chartWorkloadImage } from "./chart-workload-image.js";
import type { ConfigTree } from "./config-tree.js";
import type { ChartSource } from "./oci-chart-source.js";

/** The workload an Application deploys, as the stand-in runs it. */
export interface Workload {
  /** The image reference as written in the config repository. */
  readonly reference: string;
  readonly image: ImageReference;
  /** `Helm` or `Kustomize`, as Argo CD's `status.sourceType` says. */
  readonly sourceType: "Helm" | "Kustomize";
  /** The OCI chart it was rendered from (`oci://host/path/name:version`), for an umbrella chart's dependency. */
  readonly chart?: string;
}

/**
 * Resolves the image an Application deploys at a revision, as Argo CD would render it: a
 * `kustomization.yaml` in the source path gives its first `images[]` entry; otherwise the Helm
 * values (`values.yaml` of the path, then each `helm.valueFiles`, later files winning) give
 * `image` (`repository` + `tag` / `digest`, or one reference). A path whose `Chart.yaml` depends on
 * an OCI chart (`repository: oci://...`, an umbrella of the chart the app's build pushed) renders
 * that chart: pulled from `charts` at the dependency's version, its values overridden by the
 * path's values under the dependency's key (see `chartWorkloadImage`). Throws a permanent
 * `ARGOCD_MANIFEST_INVALID` when the path holds neither, as Argo CD's ComparisonError would.
 *
 * @example
 * ```ts
 * const workload = await resolveWorkload({ tree, commit: revision, application });
 * workload.reference; // "127.0.0.1:5000/demo:1.0.0-0123456"
 * ```
 */
export async function resolveWorkload(options: {
  readonly tree: ConfigTree;
  readonly commit: string;
  readonly application: ApplicationManifest;
  /** Where charts an umbrella chart depends on are pulled from. @default - such a source cannot be rendered */
  readonly charts?: ChartSource;
}): Promise<Workload> {
  const { tree, commit } = options;
  const source = options.application.spec.source;
  const base = source.path.replace(/\/+$/, "");
  const join = (file: string) => (base === "" || base === "." ? file : `${base}/${file}`);
  try {
    const kustomization =
      (await tree.readFile(commit, join("kustomization.yaml"))) ??
      (await tree.readFile(commit, join("kustomization.yml")));
    if (kustomization !== undefined) {
      const [first] = readKustomizeImages({ text: kustomization });
      if (first !== undefined)
        return { reference: formatImageReference(first.image), image: first.image, sourceType: "Kustomize" };
      throw invalid(options.application, `${join("kustomization.yaml")} sets no images[]`);
    }
    const valueFiles = ["values.yaml", ...(source.helm?.valueFiles ?? [])];
    const chartYaml = await tree.readFile(commit, join("Chart.yaml"));
    const dependency = chartYaml === undefined ? undefined : ociDependencyOf(chartYaml);
    if (dependency !== undefined) return await chartWorkload(options, dependency, valueFiles.map(join));
    let image: ImageReference | undefined;
    for (const file of valueFiles) {
      const text = await tree.readFile(commit, join(file));
      if (text === undefined) continue;
      image = readHelmImage({ text }) ?? image;
    }
    if (image === undefined) throw invalid(options.application, `no values file under ${base} sets image`);
    return { reference: formatImageReference(image), image, sourceType: "Helm" };
  } catch (error) {
    if (error instanceof ShiplineError && error.code === "ARGOCD_MANIFEST_INVALID") throw error;
    throw invalid(options.application, error instanceof Error ? error.message : String(error));
  }
}

async function chartWorkload(
  options: Parameters<typeof resolveWorkload>[0],
  dependency: OciDependency,
  valueFiles: readonly string[],
): Promise<Workload> {
  const reference = `oci://${dependency.repository}:${dependency.version}`;
  if (options.charts === undefined)
    throw invalid(options.application, `no chart source to pull ${reference}`);
  const chart = await options.charts.pull(dependency.repository, dependency.version);
  const parentValues: string[] = [];
  for (const file of valueFiles) {
    const text = await options.tree.readFile(options.commit, file);
    if (text !== undefined) parentValues.push(text);
  }
  const image = chartWorkloadImage({ chart, key: dependency.key, parentValues });
  if (image === undefined || (image.tag === undefined && image.digest === undefined)) {
    throw invalid(
      options.application,
      `the values of chart ${chart.reference} (with ${dependency.key}: of ${valueFiles.join(", ")}) set no image tag or digest, and the chart has no appVersion`,
    );
  }
  return { reference: formatImageReference(image), image, sourceType: "Helm", chart: chart.reference };
}

function invalid(application: ApplicationManifest, reason: string): ShiplineError {
  return new ShiplineError({
    code: "ARGOCD_MANIFEST_INVALID",
    message: `ComparisonError: rpc error: application ${application.metadata.name} cannot be rendered: ${reason}`,
    data: { application: application.metadata.name },
  });
}
