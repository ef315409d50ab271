import type * as events from "aws-cdk-lib/aws-events";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { ClusterAgent, type ClusterAgentProps } from "./cluster-agent.js";
import type { EventRouting } from "./event-routing.js";
import { StepFunction } from "./step-function.js";
import type { StepFunctionConfig } from "./step-function-config.js";

/** Properties of a {@link ClusterAgentSteps}. */
export interface ClusterAgentStepsProps {
  readonly eventBus: events.IEventBus;
  readonly routing: EventRouting;
  /** The configuration: one agent per cluster. */
  readonly config: StepFunctionConfig;
  /**
   * The config repository's FIFO writer queue, where rollback sends its revert intents.
   *
   * @default - no rollback function (its rules stay without a target)
   */
  readonly writeQueue?: sqs.IQueue;
  /**
   * Per cluster (by name): how its agent runs in EKS.
   *
   * @default - Pod Identity trust, no association, the chart's ServiceAccount
   */
  readonly clusters?: Readonly<
    Record<string, Pick<ClusterAgentProps, "eksClusterName" | "oidcProvider" | "serviceAccount">>
  >;
  /** @default - each function's entry under `functions/lambda/`, bundled */
  readonly functionCode?: lambda.Code;
}

/**
 * Steps 8 to 10 on AWS: the `dispatch-sync` function, one {@link ClusterAgent} per configured
 * cluster, and the `rollback` function (when the writer queue is given), each function connected
 * to its rules with the step's dead-letter queue. Rollback may only send to the writer queue.
 *
 * @example
 * ```ts
 * const steps = new ClusterAgentSteps(this, "Deployment", { eventBus, routing, config, writeQueue });
 * steps.agents.get("prod-eu")?.queue;
 * ```
 */
export class ClusterAgentSteps extends Construct {
  /** Step 8. */
  readonly dispatchSync: StepFunction;
  /** Step 9's AWS side, by cluster name. */
  readonly agents: ReadonlyMap<string, ClusterAgent>;
  /** Step 10, when the writer queue was given. */
  readonly rollback: StepFunction | undefined;

  constructor(scope: Construct, id: string, props: ClusterAgentStepsProps) {
    super(scope, id);
    const { eventBus, routing, config } = props;
    const code = props.functionCode;
    this.dispatchSync = new StepFunction(this, "DispatchSync", {
      step: "dispatch-sync",
      eventBus,
      code,
      config,
    });
    this.dispatchSync.sendFailuresTo(routing.connectStep("dispatch-sync", this.dispatchSync.fn));
    const agents = new Map<string, ClusterAgent>();
    for (const cluster of config.config.clusters) {
      agents.set(
        cluster.name,
        new ClusterAgent(this, `Agent-${cluster.name}`, {
          cluster: cluster.name,
          eventBus,
          routing,
          ...props.clusters?.[cluster.name],
        }),
      );
    }
    this.agents = agents;
    if (props.writeQueue === undefined) {
      this.rollback = undefined;
      return;
    }
    this.rollback = new StepFunction(this, "Rollback", {
      step: "rollback",
      eventBus,
      code,
      config,
      environment: { [EnvName.WriteQueueUrl]: props.writeQueue.queueUrl },
    });
    props.writeQueue.grantSendMessages(this.rollback.role);
    this.rollback.sendFailuresTo(routing.connectStep("rollback", this.rollback.fn));
  }
}
