import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { type EventEnvelope, eventEnvelope } from "../core/contracts/event-envelope.js";
import type { LedgerMetric, RecordOutcome } from "../core/ledger/record-hop.js";
import { recordHop } from "../core/ledger/record-hop.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import { awsInput, createStepHandler, type StepDeps, type StepInvocation } from "./shared/index.js";

/** What `ledger` needs beyond every step's dependencies. */
export interface LedgerDeps extends StepDeps {
  /** The ledger table's store (DynamoDB on AWS, the file store locally). */
  readonly store: DocumentStore;
  /** The environments whose deployments count for DORA (`productionEnvironments(config.environments)`). */
  readonly productionEnvironments: ReadonlySet<string>;
}

/** The input of `ledger`: any event on Shipline's bus (its own and the forwarded AWS events). */
export const ledgerInput = awsInput(eventEnvelope, "an EventBridge");

const UNITS: Readonly<Record<LedgerMetric["unit"], (typeof MetricUnit)[keyof typeof MetricUnit]>> = {
  Count: MetricUnit.Count,
  Seconds: MetricUnit.Seconds,
};

/**
 * Emits the ledger's metrics as CloudWatch EMF through Powertools, each at once on its own line
 * with two dimension sets: the service alone (what alarms and the dashboard's totals read) and the
 * metric's own dimensions (`app` and `environment`, or `detailType`).
 *
 * @example
 * ```ts
 * emitLedgerMetrics(deps.metrics, outcome.metrics);
 * ```
 */
export function emitLedgerMetrics(
  metrics: StepDeps["metrics"],
  ledgerMetrics: readonly LedgerMetric[],
): void {
  for (const metric of ledgerMetrics) {
    const single = metrics.singleMetric();
    // An empty set adds the service-only set: Powertools drops it once any other set is added.
    single.addDimensions({});
    single.addDimensions({ ...metric.dimensions });
    single.addMetric(metric.name, UNITS[metric.unit], metric.value);
  }
}

/**
 * `ledger`'s work for one event: records the hop (once per event id) and emits its metrics; a
 * duplicate (redelivery, replay) and an event the ledger does not keep are logged and emit nothing.
 *
 * @example
 * ```ts
 * const outcome = await runLedger({ event, deps, context, correlationId });
 * ```
 */
export async function runLedger(
  invocation: StepInvocation<EventEnvelope, LedgerDeps>,
): Promise<RecordOutcome> {
  const { event, deps } = invocation;
  const outcome = await recordHop({
    store: deps.store,
    event,
    productionEnvironments: deps.productionEnvironments,
  });
  switch (outcome.kind) {
    case "recorded":
      emitLedgerMetrics(deps.metrics, outcome.metrics);
      deps.logger.info("Recorded hop", {
        app: outcome.hop.app,
        commit: outcome.hop.commit,
        recordedDetailType: outcome.hop.detailType,
        environment: outcome.hop.environment,
      });
      return outcome;
    case "duplicate":
      deps.logger.info("Hop already recorded", { app: outcome.hop.app, commit: outcome.hop.commit });
      return outcome;
    case "ignored":
      deps.logger.info("Event not recorded", { reason: outcome.reason });
      return outcome;
  }
}

/**
 * Builds the `ledger` Lambda handler (step 11) from its dependencies.
 *
 * @example
 * ```ts
 * export const handler = createLedgerHandler({ ...createStepDeps({ step: "ledger", environment }), store, productionEnvironments });
 * ```
 */
export function createLedgerHandler(
  deps: LedgerDeps,
): MiddyfiedHandler<unknown, RecordOutcome | undefined, Error, Context> {
  return createStepHandler({ step: "ledger", input: ledgerInput, deps, run: runLedger });
}
