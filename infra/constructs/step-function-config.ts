import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { loadConfigFile } from "../../functions/adapters/local/config-file-loader.js";
import { parseConfig } from "../../functions/core/config/parse-config.js";
import type { ShiplineConfig } from "../../functions/core/config/shipline-config.js";

/**
 * A validated `shipline.config.yaml` as the CDK app deploys it: the parsed configuration the
 * constructs read, and the file's document as compact JSON, which is what the step functions
 * receive (in `CONFIG_JSON`, or as a file in their bundle). The functions validate that document
 * again with `parseConfig` (JSON is YAML), so a function never trusts a shape it did not check.
 */
export interface StepFunctionConfig {
  /** The configuration, validated, with defaults filled in. */
  readonly config: ShiplineConfig;
  /** The file's document (comments dropped, anchors resolved) as compact JSON. */
  readonly documentJson: string;
}

/**
 * Turns the text of a `shipline.config.yaml` into a {@link StepFunctionConfig}. Throws the
 * `CONFIG_INVALID` error of `parseConfig`, naming `source`, for an invalid file.
 *
 * @example
 * ```ts
 * const deployed = stepFunctionConfigOf(text, "shipline.config.yaml");
 * deployed.config.apps[0]?.name; // "demo"
 * ```
 */
export function stepFunctionConfigOf(text: string, source = "shipline.config.yaml"): StepFunctionConfig {
  const config = parseConfig(text, source);
  const document: unknown = parseDocument(text, { merge: true }).toJS({ maxAliasCount: 100 });
  return { config, documentJson: JSON.stringify(document) };
}

/**
 * Reads a `shipline.config.yaml` for the CDK app. A missing, unreadable or invalid file is the
 * `CONFIG_NOT_FOUND`, `CONFIG_UNREADABLE` or `CONFIG_INVALID` error of `loadConfigFile`.
 *
 * @example
 * ```ts
 * const deployed = await readStepFunctionConfig("shipline.config.yaml");
 * new ShiplineStack(app, "Shipline", { config: deployed });
 * ```
 */
export async function readStepFunctionConfig(file: string): Promise<StepFunctionConfig> {
  await loadConfigFile(file);
  return stepFunctionConfigOf(await readFile(file, "utf8"), file);
}
