import * as z from "zod";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { formatIssues } from "../core/contracts/format-issues.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { PromoteEnvName } from "../core/promotion/promote-env-names.js";
import { type EnvironmentFor, readEnvironment } from "./shared/environment.js";
import { loadStepConfig } from "./shared/step-config.js";

/** The promote function's environment, parsed. */
export interface PromoteEnvironment {
  readonly step: EnvironmentFor<"config">;
  /** The configuration, read and validated. */
  readonly config: ShiplineConfig;
  readonly promotionTable: string;
  /** The scan gate's table of verdicts. */
  readonly imagesTable: string;
  readonly writeQueueUrl: string;
  readonly scheduleGroup: string;
  readonly schedulerRoleArn: string;
  readonly schedulerDeadLetterArn?: string;
  readonly gitCacheDir: string;
}

const setting = z
  .string({ error: (issue) => (issue.input === undefined ? "is not set" : "must be a string") })
  .trim()
  .min(1, "is set but empty");

const promoteVariables = z.object({
  [PromoteEnvName.PromotionTable]: setting,
  [PromoteEnvName.ImagesTable]: setting,
  [PromoteEnvName.WriteQueueUrl]: setting,
  [PromoteEnvName.ScheduleGroup]: setting,
  [PromoteEnvName.SchedulerRoleArn]: setting,
  [PromoteEnvName.SchedulerDeadLetterArn]: setting.optional(),
  [PromoteEnvName.GitCacheDir]: setting.optional(),
});

/**
 * Reads the promote function's environment once, at cold start: the common settings (with the
 * configuration, inline or a file in the bundle relative to `bundleDir`) and the promotion table,
 * writer queue and scheduler settings ({@link PromoteEnvName}). Every missing variable is named in
 * one permanent `CONFIG_INVALID` error; values are never echoed.
 *
 * @example
 * ```ts
 * const environment = readPromoteEnvironment({ bundleDir: path.dirname(fileURLToPath(import.meta.url)) });
 * ```
 */
export function readPromoteEnvironment(options: {
  readonly bundleDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}): PromoteEnvironment {
  const env = options.env ?? process.env;
  const step = readEnvironment({ env, needs: ["config"] });
  const picked = Object.fromEntries(Object.values(PromoteEnvName).map((name) => [name, env[name]]));
  const result = promoteVariables.safeParse(picked);
  if (!result.success) {
    const problems = formatIssues(result.error.issues);
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The promote function's environment is not usable: ${problems.join("; ")}. Set these variables on the function (infra/ names them with PromoteEnvName).`,
      data: { problems },
      retryable: false,
    });
  }
  const vars = result.data;
  const config = loadStepConfig(step.config, options.bundleDir);
  return {
    step,
    config,
    promotionTable: vars[PromoteEnvName.PromotionTable],
    imagesTable: vars[PromoteEnvName.ImagesTable],
    writeQueueUrl: vars[PromoteEnvName.WriteQueueUrl],
    scheduleGroup: vars[PromoteEnvName.ScheduleGroup],
    schedulerRoleArn: vars[PromoteEnvName.SchedulerRoleArn],
    schedulerDeadLetterArn: vars[PromoteEnvName.SchedulerDeadLetterArn],
    gitCacheDir: vars[PromoteEnvName.GitCacheDir] ?? "/tmp/shipline-git",
  };
}
