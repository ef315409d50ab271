import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { clusterObservationRule } from "../../functions/core/topology/cluster-observation-rule.js";
import { clusterQueueRule } from "../../functions/core/topology/cluster-queue-rule.js";
import type { RuleDefinition, StepName } from "../../functions/core/topology/rule-definition.js";
import { RULES } from "../../functions/core/topology/rule-topology.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";
import { TopologyRule } from "./topology-rule.js";

/** Properties of an {@link EventRouting}. */
export interface EventRoutingProps {
  /** Shipline's bus: the forward rules' target and the other rules' source. */
  readonly eventBus: events.IEventBus;
  /** The log group that receives every Shipline event. */
  readonly eventLog: logs.ILogGroup;
  /**
   * The rules to deploy.
   *
   * @default RULES - the whole topology
   */
  readonly rules?: readonly RuleDefinition[];
}

/**
 * Every rule of the topology, deployed from the one definition the local bus also routes by. Rules
 * that forward AWS events onto Shipline's bus and the event log's rule are complete at once; a
 * step's rules get their function from `connectStep`, and each cluster gets its own `Sync Requested`
 * rule from `addClusterQueue` (the topology's cluster-queue rule is the template for those and is
 * not deployed by itself).
 *
 * @example
 * ```ts
 * const routing = new EventRouting(this, "Routing", { eventBus: bus.eventBus, eventLog: log.logGroup });
 * routing.connectStep("start-build", startBuildFunction);
 * routing.addClusterQueue("prod-eu", prodEuQueue);
 * ```
 */
export class EventRouting extends Construct {
  /** The queue of AWS events that could not be forwarded onto Shipline's bus. */
  readonly forwardDeadLetterQueue: sqs.IQueue;
  /** The queue of events that could not be written to the event log. */
  readonly eventLogDeadLetterQueue: sqs.IQueue;
  private readonly deployed = new Map<string, TopologyRule>();
  private readonly stepDeadLetterQueues = new Map<StepName, sqs.IQueue>();
  private readonly eventBus: events.IEventBus;

  constructor(scope: Construct, id: string, props: EventRoutingProps) {
    super(scope, id);
    this.eventBus = props.eventBus;
    this.forwardDeadLetterQueue = new DeadLetterQueue(this, "ForwardDeadLetters").queue;
    this.eventLogDeadLetterQueue = new DeadLetterQueue(this, "EventLogDeadLetters").queue;
    // One role for every forward rule: each only needs events:PutEvents on Shipline's bus.
    const forwardingRole = new iam.Role(this, "ForwardingRole", {
      assumedBy: new iam.ServicePrincipal("events.amazonaws.com"),
      description: "Lets the default bus's rules forward AWS events onto Shipline's bus",
    });
    for (const definition of props.rules ?? RULES) {
      if (definition.target.kind === "cluster-queue") continue;
      const rule = this.deploy(definition);
      this.deployed.set(definition.name, rule);
      if (definition.target.kind === "bus") {
        rule.addEventBus(props.eventBus, {
          role: forwardingRole,
          deadLetterQueue: this.forwardDeadLetterQueue,
        });
      }
      if (definition.target.kind === "event-log") {
        rule.addLogGroup(props.eventLog, { deadLetterQueue: this.eventLogDeadLetterQueue });
      }
    }
  }

  /**
   * Sends the events of every rule of a step to its function, all of them dead-lettering into one
   * queue of the step's. Throws `ROUTING_STEP_UNROUTED` for a step no rule targets and
   * `ROUTING_STEP_CONNECTED` for a step connected before.
   *
   * @example
   * ```ts
   * routing.connectStep("scan-gate", scanGateFunction); // both scan rules
   * ```
   */
  connectStep(step: StepName, fn: lambda.IFunction): sqs.IQueue {
    const stepRules = [...this.rules.values()].filter(
      (rule) => rule.definition.target.kind === "step" && rule.definition.target.step === step,
    );
    if (stepRules.length === 0) {
      throw new ShiplineError({
        code: "ROUTING_STEP_UNROUTED",
        message: `${this.node.path}: no rule sends events to step '${step}'; it is fed by a queue, so give the function that queue instead`,
        data: { step },
      });
    }
    if (this.stepDeadLetterQueues.has(step)) {
      throw new ShiplineError({
        code: "ROUTING_STEP_CONNECTED",
        message: `${this.node.path}: step '${step}' is already connected to a function; connect each step once`,
        data: { step },
      });
    }
    const deadLetterQueue = new DeadLetterQueue(this, `${step}-dead-letters`).queue;
    this.stepDeadLetterQueues.set(step, deadLetterQueue);
    for (const rule of stepRules) rule.addFunction(fn, { deadLetterQueue });
    return deadLetterQueue;
  }

  /**
   * Deploys the `Sync Requested` rule of one cluster, sending its events to the cluster's queue.
   * Throws `RULE_CLUSTER_INVALID` for a name that is not a Shipline resource name.
   *
   * @example
   * ```ts
   * routing.addClusterQueue("prod-eu", prodEuQueue);
   * ```
   */
  addClusterQueue(
    cluster: string,
    queue: sqs.IQueue,
    options: { readonly messageGroupId?: string } = {},
  ): TopologyRule {
    const rule = this.deploy(clusterQueueRule(cluster));
    rule.addQueue(queue, options);
    this.deployed.set(rule.definition.name, rule);
    return rule;
  }

  /**
   * Deploys the rule that sends the holds and waits of a cluster's environments to its queue, for
   * its agent's delivery metrics (see `clusterObservationRule`); nothing for a cluster that runs no
   * environment.
   *
   * @example
   * ```ts
   * routing.addClusterObservations("prod-eu", ["production"], prodEuQueue);
   * ```
   */
  addClusterObservations(
    cluster: string,
    environments: readonly string[],
    queue: sqs.IQueue,
  ): TopologyRule | undefined {
    const definition = clusterObservationRule(cluster, environments);
    if (definition === undefined) return undefined;
    const rule = this.deploy(definition);
    rule.addQueue(queue);
    this.deployed.set(rule.definition.name, rule);
    return rule;
  }

  /** The deployed rules, by rule name (cluster rules included once added). */
  get rules(): ReadonlyMap<string, TopologyRule> {
    return this.deployed;
  }

  /** The dead-letter queue of a connected step. */
  deadLetterQueueOf(step: StepName): sqs.IQueue | undefined {
    return this.stepDeadLetterQueues.get(step);
  }

  private deploy(definition: RuleDefinition): TopologyRule {
    return new TopologyRule(this, definition.name, {
      definition,
      eventBus: definition.bus === "shipline" ? this.eventBus : undefined,
    });
  }
}
