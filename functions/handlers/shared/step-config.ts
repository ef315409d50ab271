import { readFileSync } from "node:fs";
import path from "node:path";
import { parseConfigJson } from "../../core/config/parse-config-json.js";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { EnvName } from "../../core/topology/env-names.js";
import type { ConfigSource } from "./environment.js";

/**
 * The configuration a step function is deployed with, validated: the JSON of `CONFIG_JSON`, or of the
 * file `CONFIG_FILE` names in the function's bundle (`bundleDir`). Throws `CONFIG_INVALID` naming
 * the variable or the file.
 *
 * @example
 * ```ts
 * const config = loadStepConfig(step.config, path.dirname(fileURLToPath(import.meta.url)));
 * ```
 */
export function loadStepConfig(source: ConfigSource, bundleDir: string): ShiplineConfig {
  return source.kind === "json"
    ? parseConfigJson(source.json, EnvName.ConfigJson)
    : parseConfigJson(readFileSync(path.resolve(bundleDir, source.path), "utf8"), source.path);
}
