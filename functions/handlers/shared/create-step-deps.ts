import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { EventBridgePublisher } from "../../adapters/aws/eventbridge-publisher.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { EventPublisher } from "../../core/ports/event-publisher.js";
import type { StepName } from "../../core/topology/rule-definition.js";
import type { StepEnvironment } from "./environment.js";

/**
 * What every step handler is given: the publisher of its outcome, Powertools' logger, metrics and
 * tracer, and the clock. Steps add their own (configuration, stores, clients) by extending it.
 */
export interface StepDeps {
  readonly publisher: EventPublisher;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
  readonly clock: Clock;
}

/** Options of {@link createStepDeps}. */
export interface CreateStepDepsOptions {
  /** The step, used as the service name when the environment names none. */
  readonly step: StepName;
  /** The parsed environment (see `readEnvironment`). */
  readonly environment: StepEnvironment;
  /** The EventBridge client to publish with. @default - a new client for the function's region */
  readonly eventBridge?: EventBridgeClient;
}

/**
 * Builds the AWS dependencies of a step: call it once at module scope, so that they are created
 * once per cold start and reused by every invocation. The EventBridge client is traced.
 *
 * @example
 * ```ts
 * const environment = readEnvironment({ needs: ["config"] });
 * const deps = { ...createStepDeps({ step: "start-build", environment }), config: loadConfig(environment.config) };
 * export const handler = createStepHandler({ step: "start-build", input: shiplineInput(DetailType.CommitPushed), deps, run });
 * ```
 */
export function createStepDeps(options: CreateStepDepsOptions): StepDeps {
  const { environment } = options;
  const serviceName = environment.serviceName ?? options.step;
  const logger = new Logger({ serviceName });
  const tracer = new Tracer({ serviceName });
  const metrics = new Metrics({ namespace: environment.metricsNamespace, serviceName });
  const eventBridge = tracer.captureAWSv3Client(options.eventBridge ?? new EventBridgeClient({}));
  const publisher = new EventBridgePublisher({ client: eventBridge, busName: environment.eventBusName });
  return { publisher, logger, metrics, tracer, clock: systemClock };
}
