import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy, { type MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { DetailType, SHIPLINE_SOURCE } from "../../core/contracts/detail-type.js";
import { isRetryable, ShiplineError } from "../../core/errors/shipline-error.js";
import type { StepName } from "../../core/topology/rule-definition.js";
import type { StepDeps } from "./create-step-deps.js";
import { rawEventFacts, stepFailedRequest } from "./step-failed-request.js";
import type { StepInput } from "./step-input.js";

/** What a step's `run` is called with. */
export interface StepInvocation<E, D extends StepDeps> {
  /** The event, parsed by the step's input. */
  readonly event: E;
  /** The dependencies created at cold start. */
  readonly deps: D;
  /** The Lambda context. */
  readonly context: Context;
  /** The journey's correlation id: the detail's `correlationId`, else the event id. */
  readonly correlationId: string;
}

/** Options of {@link createStepHandler}. */
export interface StepHandlerOptions<E, D extends StepDeps, R> {
  /** The step, as named in the topology; it appears in `Step Failed` events. */
  readonly step: StepName;
  /** What triggers the step: `shiplineInput(...)` or `awsInput(schema)`. */
  readonly input: StepInput<E>;
  /** Dependencies created once per cold start (see `createStepDeps`). */
  readonly deps: D;
  /** The step's work: call one use case and publish its outcome. */
  readonly run: (invocation: StepInvocation<E, D>) => Promise<R>;
}

/** Metric names the handler emits (one per invocation). */
export const StepMetric = {
  Succeeded: "StepSucceeded",
  Ignored: "StepIgnored",
  Failed: "StepFailed",
  Retried: "StepRetried",
} as const;

/**
 * Builds a step's Lambda handler: middy with Powertools' tracer, logger (the journey's
 * correlation id on every line) and metrics, then the parse of the event by the step's contract,
 * then `run`. An event the input says does not concern Shipline (`StepInput.unconcerned`) is logged
 * with the reason and left alone: `run` is not called and nothing is published. Errors are sorted by
 * their `retryable` flag:
 * - retryable (or not a ShiplineError): rethrown, so Lambda and the rule retry, then dead-letter;
 * - permanent (a bad event, bad configuration): published once as `Step Failed` with the step,
 *   code, reason and failed event, and the handler returns normally so it is not retried. If that
 *   publish fails, its error is thrown. A permanent failure while handling a `Step Failed` event
 *   is thrown rather than published, so that two steps can never feed each other failures.
 *
 * @example
 * ```ts
 * const deps = createStepDeps({ step: "build-status", environment: readEnvironment() });
 * export const handler = createStepHandler({
 *   step: "build-status",
 *   input: awsInput(codeBuildBuildStateChangeEvent, "CodeBuild Build State Change"),
 *   deps,
 *   run: async ({ event, deps }) => {
 *     await deps.publisher.publish([buildOutcome(event)]);
 *   },
 * });
 * ```
 */
export function createStepHandler<E, D extends StepDeps, R>(
  options: StepHandlerOptions<E, D, R>,
): MiddyfiedHandler<unknown, R | undefined, Error, Context> {
  const { step, input, deps, run } = options;
  const { logger, metrics, tracer } = deps;

  const handle = async (raw: unknown, context: Context): Promise<R | undefined> => {
    const facts = rawEventFacts(raw);
    const correlationId = facts.correlationId ?? facts.id ?? context.awsRequestId;
    logger.setCorrelationId(correlationId);
    logger.appendKeys({ step, eventId: facts.id, detailType: facts.detailType });
    tracer.putAnnotation("correlationId", correlationId);
    try {
      const unconcerned = input.unconcerned?.(raw);
      if (unconcerned !== undefined) {
        metrics.addMetric(StepMetric.Ignored, MetricUnit.Count, 1);
        logger.info("Event does not concern Shipline; ignored", { reason: unconcerned });
        return undefined;
      }
      const event = input.parse(raw);
      const result = await run({ event, deps, context, correlationId });
      metrics.addMetric(StepMetric.Succeeded, MetricUnit.Count, 1);
      return result;
    } catch (error) {
      if (!(error instanceof ShiplineError) || isRetryable(error)) {
        metrics.addMetric(StepMetric.Retried, MetricUnit.Count, 1);
        logger.error("Step failed with a retryable error; rethrowing so that it is retried", { error });
        throw error;
      }
      if (facts.source === SHIPLINE_SOURCE && facts.detailType === DetailType.StepFailed) {
        logger.error("Step failed permanently on a Step Failed event; rethrowing instead of publishing", {
          error,
        });
        throw error;
      }
      metrics.addMetric(StepMetric.Failed, MetricUnit.Count, 1);
      logger.error("Step failed permanently; recording Step Failed", { code: error.code, error });
      await publishStepFailed({
        deps,
        request: stepFailedRequest({ step, error, event: raw, correlationId }),
      });
      return undefined;
    }
  };

  return middy<unknown, R | undefined, Error, Context>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(handle);
}

async function publishStepFailed(options: {
  readonly deps: StepDeps;
  readonly request: ReturnType<typeof stepFailedRequest>;
}): Promise<void> {
  const { deps, request } = options;
  try {
    const [result] = await deps.publisher.publish([request]);
    deps.logger.info("Recorded Step Failed", { stepFailedEventId: result?.eventId });
  } catch (publishError) {
    deps.logger.error("Could not publish Step Failed; rethrowing so that the event is retried", {
      error: publishError,
    });
    throw publishError;
  }
}
