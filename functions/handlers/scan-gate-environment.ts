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
  /**
   * The bucket of the scan job's reports ({@link EnvName.ScanReportsBucketHost}) and its region (the
   * function's, `AWS_REGION`), where a registry of kind oci is scanned.
   * @default - no `Registry Scan Completed` is read
   */
  readonly scanReports?: { readonly bucketHost: string; readonly region: string };
}

/**
 * Reads the scan gate's environment once, at cold start: the step's settings, the images table,
 * the scan reports' bucket when there is one, and the configuration (inline JSON, or a file in the bundle relative to `bundleDir`). Throws one
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
  const bucketHost = env[EnvName.ScanReportsBucketHost]?.trim();
  const region = env.AWS_REGION?.trim();
  if (bucketHost && !region) {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The function's environment is not usable: AWS_REGION: is not set, and ${EnvName.ScanReportsBucketHost} needs it; Lambda sets it, so run the scan gate on Lambda or set AWS_REGION to the bucket's region`,
      data: { problems: ["AWS_REGION: is not set"] },
    });
  }
  return {
    step,
    imagesTable,
    config,
    ...(bucketHost && region ? { scanReports: { bucketHost, region } } : {}),
  };
}
