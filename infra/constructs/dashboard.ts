import { Duration, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { DETAIL_TYPES, DetailType } from "../../functions/core/contracts/detail-type.js";
import { DEFAULT_METRICS_NAMESPACE } from "../../functions/core/topology/env-names.js";
import { STEPS } from "../../functions/core/topology/rule-definition.js";
import { SHIPLINE_ALARM_PREFIX } from "../../functions/core/topology/shipline-alarms.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";
import type { EventRouting } from "./event-routing.js";
import { StepFunction } from "./step-function.js";

/** The detail types the dashboard shows as failures. */
export const FAILURE_DETAIL_TYPES = [
  DetailType.BuildFailed,
  DetailType.ImageRejected,
  DetailType.DeploymentFailed,
  DetailType.StepFailed,
] as const;

/** Properties of a {@link PipelineDashboard}. */
export interface PipelineDashboardProps {
  /** The topology's rules: their dead-letter queues are watched. */
  readonly routing: EventRouting;
  /**
   * The step functions whose errors are watched.
   *
   * @default - every `StepFunction` of the stack at the time the dashboard is created (create it last)
   */
  readonly functions?: readonly StepFunction[];
  /**
   * Where alarms notify, when they fire and when they are back to OK (see `AlarmTopic`).
   *
   * @default - no action: the alarms show in the console and on the dashboard
   */
  readonly alarmTopic?: sns.ITopic;
  /** @default "Shipline" */
  readonly metricsNamespace?: string;
  /** The ledger's service name in its metrics. @default "ledger" */
  readonly ledgerService?: string;
}

/**
 * Shipline's CloudWatch dashboard and alarms. The dashboard shows the pipeline (events per detail
 * type, failures, dead-letter queue depth, function errors) and the DORA metrics the ledger emits
 * (deployments per day, lead time p50/p90, change-failure rate, time to restore). Alarms fire when
 * any dead-letter queue (the routing's, and the redrive queue of every queue of the stack) holds a
 * message, any step function errors, and when an image is rejected; each notifies `alarmTopic` when
 * it fires and when it is back to OK. Every alarm's description starts with `Shipline: `
 * (`SHIPLINE_ALARM_PREFIX`), which is how the topology forwards their state changes to `notify`.
 *
 * @example
 * ```ts
 * // Last in the stack, once every step is connected.
 * new PipelineDashboard(this, "Dashboard", { routing, alarmTopic });
 * ```
 */
export class PipelineDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm, by a stable name (`dlq-<queue>`, `errors-<function>`, `image-rejected`). */
  readonly alarms: ReadonlyMap<string, cloudwatch.Alarm>;

  private readonly namespace: string;
  private readonly ledgerService: string;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    this.namespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    this.ledgerService = props.ledgerService ?? "ledger";
    const queues = deadLetterQueues(this, props.routing);
    const functions =
      props.functions ??
      Stack.of(this)
        .node.findAll()
        .filter((construct): construct is StepFunction => construct instanceof StepFunction);
    const alarms = new Map<string, cloudwatch.Alarm>();
    const action = props.alarmTopic === undefined ? undefined : new actions.SnsAction(props.alarmTopic);
    const keep = (name: string, alarm: cloudwatch.Alarm) => {
      if (action !== undefined) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
      alarms.set(name, alarm);
    };
    for (const [name, queue] of queues) {
      keep(
        `dlq-${name}`,
        queue
          .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" })
          .createAlarm(this, `DeadLetters-${name}`, {
            alarmDescription: `${SHIPLINE_ALARM_PREFIX}${name} has undelivered or unhandled events in its dead-letter queue; inspect and redrive them`,
            threshold: 0,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
      );
    }
    for (const step of functions) {
      const name = step.node.path.split("/").slice(1).join("-");
      keep(
        `errors-${name}`,
        step.fn
          .metricErrors({ period: Duration.minutes(5), statistic: "Sum" })
          .createAlarm(this, `Errors-${name}`, {
            alarmDescription: `${SHIPLINE_ALARM_PREFIX}the ${step.name} function (${step.node.path}) failed; its logs say why`,
            threshold: 0,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
      );
    }
    keep(
      "image-rejected",
      this.recorded(DetailType.ImageRejected, Duration.minutes(5), false).createAlarm(this, "ImageRejected", {
        alarmDescription: `${SHIPLINE_ALARM_PREFIX}the scan gate rejected an image; 'shipline trace <app>' shows the blocking findings`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.alarms = alarms;
    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          graph(
            "Events per detail type",
            DETAIL_TYPES.map((type) => this.recorded(type, Duration.minutes(5))),
          ),
          graph(
            "Failures",
            FAILURE_DETAIL_TYPES.map((type) => this.recorded(type, Duration.minutes(5))),
          ),
        ],
        [
          graph(
            "Dead-letter queue depth",
            [...queues].map(([name, queue]) =>
              queue.metricApproximateNumberOfMessagesVisible({ label: name, statistic: "Maximum" }),
            ),
          ),
          graph(
            "Function errors",
            functions.map((step) => step.fn.metricErrors({ label: step.name, statistic: "Sum" })),
          ),
        ],
        [
          graph("Deployment frequency (production verified per day)", [
            this.ledgerMetric("DeploymentVerified", "Sum", Duration.days(1)),
          ]),
          graph("Lead time for changes (seconds)", [
            this.ledgerMetric("LeadTimeSeconds", "p50", Duration.days(1)),
            this.ledgerMetric("LeadTimeSeconds", "p90", Duration.days(1)),
          ]),
        ],
        [
          graph("Change failure rate (%)", [this.changeFailureRate()]),
          graph("Time to restore (seconds)", [
            this.ledgerMetric("TimeToRestoreSeconds", "p50", Duration.days(1)),
            this.ledgerMetric("TimeToRestoreSeconds", "Maximum", Duration.days(1)),
          ]),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms: [...alarms.values()], width: 24 })],
      ],
    });
  }

  /** The ledger's count of recorded events of one detail type. */
  private recorded(detailType: string, period: Duration, labelled = true): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: "EventRecorded",
      dimensionsMap: { service: this.ledgerService, detailType },
      statistic: "Sum",
      period,
      // A label would turn an alarm's plain metric into a metric-math query.
      ...(labelled ? { label: detailType } : {}),
    });
  }

  /** A ledger metric over every app and environment (the service-only dimension set). */
  private ledgerMetric(metricName: string, statistic: string, period: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: { service: this.ledgerService },
      statistic,
      period,
      label: `${metricName} ${statistic}`,
    });
  }

  private changeFailureRate(): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: "100 * failed / (failed + verified)",
      usingMetrics: {
        failed: this.ledgerMetric("DeploymentFailed", "Sum", Duration.days(1)),
        verified: this.ledgerMetric("DeploymentVerified", "Sum", Duration.days(1)),
      },
      label: "failed / (failed + verified) %",
      period: Duration.days(1),
    });
  }
}

function graph(title: string, metrics: readonly cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left: [...metrics], width: 12, height: 6 });
}

/**
 * The dead-letter queues to watch: the routing's (forwarding, the event log, each connected
 * step's), any other rule's (the registry scan's, named after its construct), then the redrive
 * queue of every queue of the stack that has one (the config writer's FIFO queue, each cluster
 * agent's queue), named after the queue it serves.
 */
function deadLetterQueues(scope: Construct, routing: EventRouting): Map<string, sqs.IQueue> {
  const queues = new Map<string, sqs.IQueue>([
    ["forward", routing.forwardDeadLetterQueue],
    ["event-log", routing.eventLogDeadLetterQueue],
  ]);
  for (const step of STEPS) {
    const queue = routing.deadLetterQueueOf(step);
    if (queue !== undefined) queues.set(step, queue);
  }
  const watched = new Set(queues.values());
  for (const construct of Stack.of(scope).node.findAll()) {
    // A rule's own dead-letter queue outside the routing (the registry scan's rules).
    if (
      construct instanceof DeadLetterQueue &&
      !watched.has(construct.queue) &&
      !construct.node.path.startsWith(`${routing.node.path}/`)
    ) {
      watched.add(construct.queue);
      queues.set(construct.node.path.split("/").slice(1, -1).join("-"), construct.queue);
      continue;
    }
    if (!(construct instanceof sqs.Queue) || construct.deadLetterQueue === undefined) continue;
    const deadLetters = construct.deadLetterQueue.queue;
    if (watched.has(deadLetters)) continue;
    watched.add(deadLetters);
    queues.set(construct.node.path.split("/").slice(1).join("-"), deadLetters);
  }
  return queues;
}
