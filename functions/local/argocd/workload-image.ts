import { ShiplineError } from "../../core/errors/shipline-error.js";
import { formatImageReference, type ImageReference } from "../../core/manifest/image-reference.js";
import { readHelmImage, readKustomizeImages } from "../../core/manifest/read-workload-image.js";
import type { ApplicationManifest } from "./application-manifest.js";
import type { ConfigTree } from "./config-tree.js";

/** The workload an Application deploys, as the stand-in runs it. */
export interface Workload {
  /** The image reference as written in the config repository. */
  readonly reference: string;
  readonly image: ImageReference;
  /** `Helm` or `Kustomize`, as Argo CD's `status.sourceType` says. */
  readonly sourceType: "Helm" | "Kustomize";
}

/**
 * Resolves the image an Application deploys at a revision, as Argo CD would render it: a
 * `kustomization.yaml` in the source path gives its first `images[]` entry; otherwise the Helm
 * values (`values.yaml` of the path, then each `helm.valueFiles`, later files winning) give
 * `image` (`repository` + `tag` / `digest`, or one reference). Throws a permanent
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
    let image: ImageReference | undefined;
    for (const file of ["values.yaml", ...(source.helm?.valueFiles ?? [])]) {
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

function invalid(application: ApplicationManifest, reason: string): ShiplineError {
  return new ShiplineError({
    code: "ARGOCD_MANIFEST_INVALID",
    message: `ComparisonError: rpc error: application ${application.metadata.name} cannot be rendered: ${reason}`,
    data: { application: application.metadata.name },
  });
}
