import type { WriteIntent } from "./write-intent.js";

/**
 * The files of the config repository a deploy target writes: its own file and, when it names one,
 * the file of its chart version (both change in the same commit).
 *
 * @example
 * ```ts
 * targetFiles({ kind: "helm", file: "envs/dev/values.yaml", path: "demo.image.tag", field: "tag",
 *   chartVersion: { file: "envs/dev/Chart.yaml", path: "dependencies[0].version" } });
 * // ["envs/dev/values.yaml", "envs/dev/Chart.yaml"]
 * ```
 */
export function targetFiles(target: WriteIntent["target"]): string[] {
  return [target.file, target.chartVersion?.file ?? target.file];
}
