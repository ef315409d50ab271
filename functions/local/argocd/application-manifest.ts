import { parseAllDocuments } from "yaml";
import * as z from "zod";
import type { ConfigTree } from "./config-tree.js";

/** The Argo CD Application manifest fields the stand-in uses (argoproj.io/v1alpha1). */
export const applicationManifest = z.looseObject({
  apiVersion: z.string().startsWith("argoproj.io/"),
  kind: z.literal("Application"),
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.looseObject({
    project: z.string().default("default"),
    source: z.looseObject({
      repoURL: z.string().min(1),
      path: z.string().default("."),
      targetRevision: z.string().default("HEAD"),
      helm: z.looseObject({ valueFiles: z.array(z.string()).optional() }).optional(),
      kustomize: z.looseObject({}).optional(),
    }),
    destination: z
      .looseObject({
        server: z.string().optional(),
        name: z.string().optional(),
        namespace: z.string().optional(),
      })
      .default({}),
    syncPolicy: z.looseObject({ automated: z.looseObject({}).nullish() }).nullish(),
  }),
});

/** An Application manifest read from the config repository. */
export type ApplicationManifest = z.output<typeof applicationManifest>;

/**
 * The Argo CD Applications declared in a directory of the config repository at a commit: every
 * `*.yaml` / `*.yml` document there whose kind is `Application` (other documents are ignored, as
 * an app-of-apps directory may hold them).
 *
 * @example
 * ```ts
 * const applications = await readApplicationManifests({ tree, commit: head, directory: "argocd" });
 * ```
 */
export async function readApplicationManifests(options: {
  readonly tree: ConfigTree;
  readonly commit: string;
  readonly directory: string;
}): Promise<ApplicationManifest[]> {
  const found: ApplicationManifest[] = [];
  const files = (await options.tree.listFiles(options.commit, options.directory))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  for (const name of files) {
    const text = await options.tree.readFile(options.commit, `${options.directory}/${name}`);
    if (text === undefined) continue;
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) continue;
      const parsed = applicationManifest.safeParse(document.toJS());
      if (parsed.success) found.push(parsed.data);
    }
  }
  return found;
}
