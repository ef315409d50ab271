import { parse } from "yaml";
import * as z from "zod";

/** A dependency of a chart on a chart in an OCI registry. */
export interface OciDependency {
  /** The key of its values in the parent's values: its `alias`, else its `name`. */
  readonly key: string;
  /** `host/path/name`: the repository its chart is pulled from. */
  readonly repository: string;
  readonly name: string;
  readonly version: string;
}

const chartYaml = z.looseObject({
  dependencies: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        version: z.union([z.string(), z.number()]),
        repository: z.string().optional(),
        alias: z.string().min(1).optional(),
      }),
    )
    .nullish(),
});

/**
 * The first dependency of a `Chart.yaml` on an OCI chart (`repository: oci://host/path`), as an
 * umbrella chart in the config repository declares the chart the app's build pushed. Undefined
 * when the chart has no such dependency or the text is not a chart's metadata.
 *
 * @example
 * ```ts
 * ociDependencyOf("dependencies:\n  - name: demo\n    version: 1.4.0\n    repository: oci://127.0.0.1:5000/charts\n");
 * // { key: "demo", repository: "127.0.0.1:5000/charts/demo", name: "demo", version: "1.4.0" }
 * ```
 */
export function ociDependencyOf(text: string): OciDependency | undefined {
  let parsed: ReturnType<typeof chartYaml.safeParse>;
  try {
    parsed = chartYaml.safeParse(parse(text));
  } catch {
    return undefined;
  }
  const dependency = parsed.data?.dependencies?.find((candidate) =>
    candidate.repository?.startsWith("oci://"),
  );
  if (dependency?.repository === undefined) return undefined;
  const base = dependency.repository.slice("oci://".length).replace(/\/+$/, "");
  return {
    key: dependency.alias ?? dependency.name,
    repository: `${base}/${dependency.name}`,
    name: dependency.name,
    version: String(dependency.version),
  };
}
