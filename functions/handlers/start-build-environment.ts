import * as z from "zod";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { EnvName } from "../core/topology/env-names.js";
import { type EnvironmentFor, readEnvironment } from "./shared/environment.js";
import { loadStepConfig } from "./shared/step-config.js";

/** The `start-build` function's environment, parsed. */
export interface StartBuildEnvironment {
  readonly step: EnvironmentFor<"config" | "idempotencyTable">;
  /** The CodeBuild project of each app ({@link EnvName.BuildProjects}). */
  readonly buildProjects: Readonly<Record<string, string>>;
  /** The registry host of Shipline-managed repositories ({@link EnvName.ImageRegistry}), when set. */
  readonly imageRegistry?: string;
  /** The configuration, read and validated. */
  readonly config: ShiplineConfig;
}

const buildProjects = z.record(z.string().min(1), z.string().min(1));

/**
 * Reads `start-build`'s environment once, at cold start: the step's settings (configuration and
 * idempotency table required), the app-to-project map, the optional registry host, and the
 * configuration (inline JSON, or a file in the bundle relative to `bundleDir`). Every problem is named
 * in one permanent `CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * const { step, buildProjects, config } = readStartBuildEnvironment({ bundleDir: path.dirname(fileURLToPath(import.meta.url)) });
 * ```
 */
export function readStartBuildEnvironment(options: {
  readonly bundleDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}): StartBuildEnvironment {
  const env = options.env ?? process.env;
  const step = readEnvironment({ env, needs: ["config", "idempotencyTable"] });
  const projects = parseProjects(env[EnvName.BuildProjects]);
  const imageRegistry = env[EnvName.ImageRegistry]?.trim();
  const config = loadStepConfig(step.config, options.bundleDir);
  return {
    step,
    buildProjects: projects,
    ...(imageRegistry ? { imageRegistry } : {}),
    config,
  };
}

function parseProjects(text: string | undefined): Record<string, string> {
  let json: unknown;
  try {
    json = text === undefined ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = buildProjects.safeParse(json);
  if (!parsed.success) {
    const problem = `${EnvName.BuildProjects}: ${text === undefined ? "is not set" : "is not a JSON object of app names to project names"}`;
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The function's environment is not usable: ${problem}; set it to {"<app>": "<CodeBuild project>"}`,
      data: { problems: [problem] },
      retryable: false,
    });
  }
  return parsed.data;
}
