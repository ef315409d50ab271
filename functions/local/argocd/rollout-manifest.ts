import { parseAllDocuments } from "yaml";
import * as z from "zod";
import { argoRollout } from "../../core/agent/argo-rollout.js";
import type { ApplicationManifest } from "./application-manifest.js";
import type { ConfigTree } from "./config-tree.js";

const rolloutDocument = z.looseObject({
  apiVersion: z.string().startsWith("argoproj.io/"),
  kind: z.literal("Rollout"),
});

/** An Argo Rollouts `Rollout` an Application renders: its name, namespace, and manifest. */
export interface RolloutManifest {
  readonly name: string;
  readonly namespace: string;
  /** The manifest as written (its `spec` is rendered back as the live Rollout's). */
  readonly manifest: z.output<typeof argoRollout>;
}

/**
 * The Argo Rollouts `Rollout` an Application's source renders at a commit, as the stand-in reads
 * it: the first document of kind `Rollout` (apiVersion `argoproj.io/…`) among the `*.yaml` /
 * `*.yml` files of the source path and of its `templates/` (a Helm chart's; read as written, not
 * rendered), in the Application's destination namespace unless it names
 * its own. Undefined when there is none: the workload is a plain Deployment.
 *
 * @example
 * ```ts
 * const rollout = await readRolloutManifest({ tree, commit: revision, application: state.manifest });
 * rollout?.manifest.spec?.strategy?.canary?.steps; // [{ setWeight: 20 }, { pause: {} }]
 * ```
 */
export async function readRolloutManifest(options: {
  readonly tree: ConfigTree;
  readonly commit: string;
  readonly application: ApplicationManifest;
}): Promise<RolloutManifest | undefined> {
  const { tree, commit, application } = options;
  const base = application.spec.source.path.replace(/\/+$/, "");
  const directory = base === "" ? "." : base;
  const join = (folder: string, name: string) => (folder === "." ? name : `${folder}/${name}`);
  const files: string[] = [];
  // The source path's own files (Kustomize, plain manifests) and a Helm chart's templates.
  for (const folder of [directory, join(directory, "templates")]) {
    const names = (await tree.listFiles(commit, folder)).filter((name) => /\.ya?ml$/.test(name)).sort();
    files.push(...names.map((name) => join(folder, name)));
  }
  for (const file of files) {
    const text = await tree.readFile(commit, file);
    if (text === undefined) continue;
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) continue;
      const value: unknown = document.toJS();
      if (!rolloutDocument.safeParse(value).success) continue;
      const parsed = argoRollout.safeParse(value);
      if (!parsed.success) continue;
      return {
        name: parsed.data.metadata.name,
        namespace: parsed.data.metadata.namespace ?? application.spec.destination.namespace ?? "default",
        manifest: parsed.data,
      };
    }
  }
  return undefined;
}
