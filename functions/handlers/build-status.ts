import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import * as z from "zod";
import { type BuildOutcome, buildOutcomeOf } from "../core/build/build-outcome.js";
import { chartPushedOf, exportedVariablesOf } from "../core/build/chart-pushed-of.js";
import { IDEMPOTENCY_TABLE } from "../core/build/idempotency-table.js";
import {
  type CodeBuildBuildStateChangeEvent,
  codeBuildBuildStateChangeEvent,
} from "../core/contracts/aws/codebuild-build-state-change.js";
import { DetailType } from "../core/contracts/detail-type.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import type { BuildExports } from "../core/ports/build-exports.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import type { PublishRequest } from "../core/ports/event-publisher.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { stepFailedRequest } from "./shared/step-failed-request.js";
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
  /**
   * The apps that declare a chart: only their builds' variables are read with `exports`, so that a
   * build of any other app publishes its outcome without that call.
   * @default - the builds of every app are read
   */
  readonly chartApps?: ReadonlySet<string>;
}

/** How long a published build outcome is remembered. */
const OUTCOME_TTL_SECONDS = 7 * 24 * 60 * 60;

type BuildRequest = Extract<BuildOutcome, { kind: "publish" }>["request"];

const publishedRecord = z.object({ publishedAt: z.string().optional() });

/**
 * The `build-status` step (3): maps CodeBuild's `Build State Change` of a Shipline build to
 * `Build Succeeded` or `Build Failed` (failed phase, reason, logs link, duration; see
 * `buildOutcomeOf`), with `Chart Pushed` beside a `Build Succeeded` whose build exported a chart
 * (see `chartPushedOf`); a chart exported but not valid is recorded as a `Step Failed` beside the
 * `Build Succeeded`, which is published all the same. `IN_PROGRESS` and builds Shipline did not start
 * are ignored with a log line; a state change delivered again is published once (with `store`).
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
      await deps.publisher.publish([request, ...(await chartOutcome(deps, event, request))]);
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

/** The `Chart Pushed` of a succeeded build, or the `Step Failed` that says why its chart is not announced. */
async function chartOutcome(
  deps: BuildStatusDeps,
  event: CodeBuildBuildStateChangeEvent,
  request: BuildRequest,
): Promise<PublishRequest[]> {
  if (request.detailType !== DetailType.BuildSucceeded) return [];
  try {
    // CodeBuild's own state change carries no exported variables: they are read from the build of
    // an app that declares a chart.
    const carried = exportedVariablesOf(event);
    const { exports } = deps;
    const read = carried.size === 0 && (deps.chartApps?.has(request.detail.app) ?? true);
    const exported = exports && read ? await exports.exportedVariables(event.detail["build-id"]) : carried;
    const chart = chartPushedOf(event, request.detail, exported);
    return chart ? [chart] : [];
  } catch (error) {
    if (!(error instanceof ShiplineError) || error.retryable) throw error;
    const failed = stepFailedRequest({
      step: "build-status",
      error,
      event,
      correlationId: request.detail.correlationId,
    });
    deps.logger.error("The build's chart is not announced", { code: error.code, reason: error.message });
    return [
      { ...failed, detail: { ...failed.detail, app: request.detail.app, commit: request.detail.commit } },
    ];
  }
}
