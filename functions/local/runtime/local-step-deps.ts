import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { EventPublisher } from "../../core/ports/event-publisher.js";
import { DEFAULT_METRICS_NAMESPACE } from "../../core/topology/env-names.js";
import type { StepName } from "../../core/topology/rule-definition.js";
import type { StepDeps } from "../../handlers/shared/create-step-deps.js";

/** Options of {@link createLocalStepDeps}. */
export interface LocalStepDepsOptions {
  /** The step, used as the logger's service name. */
  readonly step: StepName;
  /** Publishes onto the local bus. */
  readonly publisher: EventPublisher;
  /** Powertools log level of the step's logger. @default "WARN" - the runtime prints its own timeline */
  readonly logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
  readonly clock?: Clock;
}

/**
 * The dependencies of a step as the local runtime runs it: the same Powertools logger and metrics
 * as on AWS (metrics are off unless `POWERTOOLS_METRICS_DISABLED=false`, tracing is off), and a
 * publisher onto the local bus instead of EventBridge.
 *
 * @example
 * ```ts
 * const deps = createLocalStepDeps({ step: "start-build", publisher: new LocalEventPublisher(bus) });
 * ```
 */
export function createLocalStepDeps(options: LocalStepDepsOptions): StepDeps {
  const logger = new Logger({ serviceName: options.step, logLevel: options.logLevel ?? "WARN" });
  const metrics = new Metrics({ namespace: DEFAULT_METRICS_NAMESPACE, serviceName: options.step });
  const tracer = new Tracer({ serviceName: options.step, enabled: false });
  return { publisher: options.publisher, logger, metrics, tracer, clock: options.clock ?? systemClock };
}
