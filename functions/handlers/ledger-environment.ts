import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { EnvName } from "../core/topology/env-names.js";
import { type EnvironmentFor, readEnvironment } from "./shared/environment.js";
import { loadStepConfig } from "./shared/step-config.js";

/** The ledger's environment, parsed. */
export interface LedgerEnvironment {
  readonly step: EnvironmentFor<"config" | "ledgerTable">;
  /** The configuration (its environments tell which one is production). */
  readonly config: ShiplineConfig;
}

/**
 * Reads the ledger's environment once, at cold start: the step's settings, the ledger table
 * ({@link EnvName.LedgerTable}) and the configuration (inline JSON, or a file in the bundle relative
 * to `bundleDir`). Throws one permanent `CONFIG_INVALID` naming what is missing.
 *
 * @example
 * ```ts
 * const { step, config } = readLedgerEnvironment({ bundleDir: path.dirname(fileURLToPath(import.meta.url)) });
 * ```
 */
export function readLedgerEnvironment(options: {
  readonly bundleDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}): LedgerEnvironment {
  const step = readEnvironment({ env: options.env ?? process.env, needs: ["config", "ledgerTable"] });
  const config = loadStepConfig(step.config, options.bundleDir);
  return { step, config };
}
