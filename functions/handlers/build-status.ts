import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { type BuildOutcome, buildOutcomeOf } from "../core/build/build-outcome.js";
import { codeBuildBuildStateChangeEvent } from "../core/contracts/aws/codebuild-build-state-change.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { awsInput } from "./shared/step-input.js";

/**
 * The `build-status` step (3): maps CodeBuild's `Build State Change` of a Shipline build to
 * `Build Succeeded` or `Build Failed` (failed phase, reason, logs link, duration; see
 * `buildOutcomeOf`). `IN_PROGRESS` and builds Shipline did not start are ignored with a log line.
 *
 * @example
 * ```ts
 * export const handler = makeBuildStatusHandler(createStepDeps({ step: "build-status", environment }));
 * ```
 */
export function makeBuildStatusHandler(
  deps: StepDeps,
): MiddyfiedHandler<unknown, BuildOutcome | undefined, Error, Context> {
  return createStepHandler({
    step: "build-status",
    input: awsInput(codeBuildBuildStateChangeEvent, "CodeBuild Build State Change"),
    deps,
    run: async ({ event }) => {
      const outcome = buildOutcomeOf(event);
      if (outcome.kind === "ignored") {
        deps.logger.info("Build state change ignored", { reason: outcome.reason });
        return outcome;
      }
      const { request } = outcome;
      deps.logger.setCorrelationId(request.detail.correlationId);
      await deps.publisher.publish([request]);
      deps.logger.info(`${request.detailType} published`, {
        app: request.detail.app,
        buildId: request.detail.buildId,
      });
      return outcome;
    },
  });
}
