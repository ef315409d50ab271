import type { AppSourceConfig } from "../config/app-source.js";

const EVERY_PATH = "**";

/**
 * True when an app builds only for some paths of its repository (`source.paths` other than `**`,
 * or any `source.ignorePaths`), so that a push's changed paths decide whether it builds: then a push
 * that lists none has them read from the repository.
 *
 * @example
 * ```ts
 * filtersByPath({ ...source, paths: ["services/api/**"], ignorePaths: [] }); // true
 * filtersByPath({ ...source, paths: ["**"], ignorePaths: [] }); // false
 * ```
 */
export function filtersByPath(source: Pick<AppSourceConfig, "paths" | "ignorePaths">): boolean {
  return source.ignorePaths.length > 0 || source.paths.some((glob) => glob !== EVERY_PATH);
}
