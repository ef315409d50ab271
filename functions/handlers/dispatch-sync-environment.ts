import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { type EnvironmentFor, readEnvironment } from "./shared/environment.js";
import { loadStepConfig } from "./shared/step-config.js";

/** A step's environment with its configuration read and validated. */
export interface ConfiguredStepEnvironment {
  readonly step: EnvironmentFor<"config">;
  readonly config: ShiplineConfig;
}

/**
 * Reads a configured step's environment once, at cold start: the step's settings and the
 * configuration (inline JSON, or a file in the bundle relative to `bundleDir`), validated. Throws
 * the permanent `CONFIG_INVALID` of `readEnvironment` or `parseConfigJson`.
 *
 * @example
 * ```ts
 * const { step, config } = readConfiguredStepEnvironment({ bundleDir: path.dirname(fileURLToPath(import.meta.url)) });
 * ```
 */
export function readConfiguredStepEnvironment(options: {
  readonly bundleDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}): ConfiguredStepEnvironment {
  const step = readEnvironment({ env: options.env ?? process.env, needs: ["config"] });
  const config = loadStepConfig(step.config, options.bundleDir);
  return { step, config };
}
