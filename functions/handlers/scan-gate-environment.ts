import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { EnvName } from "../core/topology/env-names.js";
import { type EnvironmentFor, readEnvironment } from "./shared/environment.js";
import { loadStepConfig } from "./shared/step-config.js";

/** The scan gate's environment, parsed. */
export interface ScanGateEnvironment {
  readonly step: EnvironmentFor<"config">;
  /** The physical table of known images and verdicts ({@link EnvName.ImagesTable}). */
  readonly imagesTable: string;
  /** The configuration, read and validated. */
  readonly config: ShiplineConfig;
}

/**
 * Reads the scan gate's environment once, at cold start: the step's settings, the images table
 * and the configuration (inline JSON, or a file in the bundle relative to `bundleDir`). Throws one
 * permanent `CONFIG_INVALID` naming what is missing.
 *
 * @example
 * ```ts
 * const { step, imagesTable, config } = readScanGateEnvironment({ bundleDir: path.dirname(fileURLToPath(import.meta.url)) });
 * ```
 */
export function readScanGateEnvironment(options: {
  readonly bundleDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}): ScanGateEnvironment {
  const env = options.env ?? process.env;
  const step = readEnvironment({ env, needs: ["config"] });
  const imagesTable = env[EnvName.ImagesTable]?.trim();
  if (!imagesTable) {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The function's environment is not usable: ${EnvName.ImagesTable}: is not set; set it to the images table's name`,
      data: { problems: [`${EnvName.ImagesTable}: is not set`] },
    });
  }
  const config = loadStepConfig(step.config, options.bundleDir);
  return { step, imagesTable, config };
}
