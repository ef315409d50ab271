import { ShiplineError } from "../core/errors/shipline-error.js";
import { EnvName } from "../core/topology/env-names.js";
import {
  type ConfiguredStepEnvironment,
  readConfiguredStepEnvironment,
} from "./dispatch-sync-environment.js";

/** The rollback step's environment, parsed. */
export interface RollbackEnvironment extends ConfiguredStepEnvironment {
  /** The config repository's FIFO writer queue ({@link EnvName.WriteQueueUrl}). */
  readonly writeQueueUrl: string;
}

/**
 * Reads the rollback step's environment once, at cold start: the configured step's settings and
 * the writer queue's URL. Throws one permanent `CONFIG_INVALID` naming what is missing.
 *
 * @example
 * ```ts
 * const { step, config, writeQueueUrl } = readRollbackEnvironment({ bundleDir });
 * ```
 */
export function readRollbackEnvironment(options: {
  readonly bundleDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}): RollbackEnvironment {
  const env = options.env ?? process.env;
  const writeQueueUrl = env[EnvName.WriteQueueUrl]?.trim();
  if (!writeQueueUrl) {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The function's environment is not usable: ${EnvName.WriteQueueUrl}: is not set; set it to the config writer queue's URL`,
      data: { problems: [`${EnvName.WriteQueueUrl}: is not set`] },
    });
  }
  return { ...readConfiguredStepEnvironment({ bundleDir: options.bundleDir, env }), writeQueueUrl };
}
