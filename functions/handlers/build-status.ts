import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import * as z from "zod";
import { type BuildOutcome, buildOutcomeOf } from "../core/build/build-outcome.js";
import { chartPushedOf, exportedVariablesOf } from "../core/build/chart-pushed-of.js";
import { IDEMPOTENCY_TABLE } from "../core/build/idempotency-table.js";
import { codeBuildBuildStateChangeEvent } from "../core/contracts/aws/codebuild-build-state-change.js";
import { DetailType } from "../core/contracts/detail-type.js";
import type { BuildExports } from "../core/ports/build-exports.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { awsInput } from "./shared/step-input.js";

/** What `build-status` needs beyond every step's dependencies. */
export interface BuildStatusDeps extends StepDeps {
  /**
   * The idempotency table: a build's outcome is published once, however often its state change
   * is delivered.
   * @default - every delivery is published
   */
  readonly store?: DocumentStore;
  /**
   * Reads the variables a succeeded build exported when its state change carries none (CodeBuild),
   * for its `Chart Pushed`.
   * @default - only the variables the state change carries
   */
  readonly exports?: BuildExports;
}

/** How long a published build outcome is remembered. */
const OUTCOME_TTL_SECONDS = 7 * 24 * 60 * 60;

const publishedRecord = z.object({ publishedAt: z.string().optional() });

/**
 * The `build-status` step (3): maps CodeBuild's `Build State Change` of a Shipline build to
 * `Build Succeeded` or `Build Failed` (failed phase, reason, logs link, duration; see
 * `buildOutcomeOf`), with `Chart Pushed` beside a `Build Succeeded` whose build exported a chart
 * (see `chartPushedOf`). `IN_PROGRESS` and builds Shipline did not start are ignored with a log line; a
 * state change delivered again is published once (with `store`).
 *
 * @example
 * ```ts
 * export const handler = makeBuildStatusHandler(createStepDeps({ step: "build-status", environment }));
 * ```
 */
export function makeBuildStatusHandler(
  deps: BuildStatusDeps,
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
      // CodeBuild (or a replay) may deliver a build's last state change again: it is published once.
      const key = { pk: `build-outcome#${request.detail.buildId}`, sk: request.detailType };
      const expiresAt = new Date(deps.clock.now().getTime() + OUTCOME_TTL_SECONDS * 1000);
      const fresh =
        (await deps.store?.put(
          IDEMPOTENCY_TABLE,
          key,
          { at: deps.clock.now().toISOString() },
          {
            ifAbsent: true,
            expiresAt,
          },
        )) ?? true;
      if (
        !fresh &&
        publishedRecord.safeParse(await deps.store?.get(IDEMPOTENCY_TABLE, key)).data?.publishedAt
      ) {
        deps.logger.info("Build outcome delivered again; it was published before", {
          buildId: request.detail.buildId,
        });
        return outcome;
      }
      // CodeBuild's own state change carries no exported variables: they are read from the build.
      const carried = exportedVariablesOf(event);
      const exported =
        carried.size === 0 && request.detailType === DetailType.BuildSucceeded && deps.exports
          ? await deps.exports.exportedVariables(event.detail["build-id"])
          : carried;
      const chart = chartPushedOf(event, request.detail, exported);
      await deps.publisher.publish(chart ? [request, chart] : [request]);
      await deps.store?.put(
        IDEMPOTENCY_TABLE,
        key,
        { at: deps.clock.now().toISOString(), publishedAt: deps.clock.now().toISOString() },
        { expiresAt },
      );
      deps.logger.info(`${request.detailType} published`, {
        app: request.detail.app,
        buildId: request.detail.buildId,
      });
      return outcome;
    },
  });
}
