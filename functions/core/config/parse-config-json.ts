import { configInvalid } from "./config-problem.js";
import type { ShiplineConfig } from "./shipline-config.js";
import { validateConfig } from "./validate-config.js";

/**
 * Parses and validates a configuration given as JSON: the document the CDK app hands to each step
 * function (in `CONFIG_JSON`, or as a file in its bundle). Its schema is checked as `parseConfig`
 * checks a `shipline.config.yaml`'s, so a function never trusts a shape it did not check, but without
 * a YAML parser in the function's bundle, nor the checks across keys and of ranges the file passed
 * when the CDK app wrote this JSON from it; problems carry no line, since the JSON has none of the
 * file's. Text that is not JSON is one `CONFIG_INVALID` problem at the root.
 *
 * @example
 * ```ts
 * const config = parseConfigJson(documentJson, "CONFIG_JSON"); // CONFIG_INVALID names each problem
 * ```
 */
export function parseConfigJson(json: string, source = "CONFIG_JSON"): ShiplineConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw configInvalid(source, [
      {
        path: "(root)",
        message: `is not JSON (${error instanceof Error ? error.message : String(error)})`,
        fix: "deploy the configuration with the CDK app, which hands it to the functions as JSON",
      },
    ]);
  }
  return validateConfig({ raw, source });
}
