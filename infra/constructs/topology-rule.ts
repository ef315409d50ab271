import { ArnFormat, Duration, Stack } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { retryPolicyProblems } from "../../functions/core/topology/retry-policies.js";
import type {
  RetryPolicy,
  RuleDefinition,
  RuleTarget,
} from "../../functions/core/topology/rule-definition.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";
import { toCdkEventPattern } from "./to-cdk-event-pattern.js";

/** Properties of a {@link TopologyRule}. */
export interface TopologyRuleProps {
  /** The rule, from `RULES` (`functions/core/topology/rule-topology.ts`). */
  readonly definition: RuleDefinition;
  /**
   * The bus the rule listens on: Shipline's bus for a rule whose `bus` is `shipline`.
   *
   * @default - the account's default bus, which only a rule whose `bus` is `default` may use
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Where EventBridge puts the events it could not deliver to the target. Share one queue between
   * the rules of a step so that one alarm watches the step.
   *
   * @default - a `DeadLetterQueue` of the rule's own, created with its target
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/** Options of a {@link TopologyRule}'s `add*` methods. */
export interface TopologyTargetOptions {
  /**
   * The dead-letter queue of this target, e.g. the one queue of a step whose function several rules
   * invoke.
   *
   * @default - the rule's `deadLetterQueue` prop, else a queue of the rule's own
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/** A rule target's retry policy, as `aws-events-targets` takes it. */
function retryProps(retry: RetryPolicy) {
  return {
    retryAttempts: retry.maximumRetryAttempts,
    maxEventAge: Duration.seconds(retry.maximumEventAgeSeconds),
  };
}

/**
 * One rule of the topology, deployed with the exact pattern the local bus routes by. Its target is
 * added by the `add*` method that matches the definition's target kind, which applies the rule's
 * retry policy and dead-letter queue, so a caller only names what the events go to.
 *
 * @example
 * ```ts
 * const rule = new TopologyRule(this, "start-build-on-commit-pushed", {
 *   definition: ruleNamed("start-build-on-commit-pushed"),
 *   eventBus: bus.eventBus,
 * });
 * rule.addFunction(startBuildFunction);
 * ```
 */
export class TopologyRule extends Construct {
  /** The EventBridge rule. */
  readonly rule: events.Rule;
  /** The definition it deploys. */
  readonly definition: RuleDefinition;
  private readonly defaultDeadLetterQueue: sqs.IQueue | undefined;
  private targetDeadLetterQueue: sqs.IQueue | undefined;
  private hasTarget = false;

  constructor(scope: Construct, id: string, props: TopologyRuleProps) {
    super(scope, id);
    const { definition } = props;
    const problems = retryPolicyProblems(definition.retry);
    if (definition.bus === "shipline" && props.eventBus === undefined) {
      problems.push(`rule '${definition.name}' listens on the shipline bus; pass that bus as eventBus`);
    }
    if (definition.bus === "default" && props.eventBus !== undefined) {
      problems.push(`rule '${definition.name}' listens on the default bus; leave eventBus out`);
    }
    if (problems.length > 0) {
      throw new ShiplineError({
        code: "CONSTRUCT_PROPS_INVALID",
        message: `${this.node.path}: ${problems.join("; ")}`,
        data: { construct: this.node.path, rule: definition.name, problems },
      });
    }
    this.definition = definition;
    this.defaultDeadLetterQueue = props.deadLetterQueue;
    this.rule = new events.Rule(this, "Rule", {
      eventBus: props.eventBus,
      description: definition.description,
      eventPattern: toCdkEventPattern(definition.eventPattern),
    });
  }

  /** The queue of undelivered events, once the rule has a target. */
  get deadLetterQueue(): sqs.IQueue | undefined {
    return this.targetDeadLetterQueue;
  }

  /**
   * Sends the rule's events to a step's function (a rule whose target is a `step`).
   *
   * @example
   * ```ts
   * rule.addFunction(scanGateFunction);
   * ```
   */
  addFunction(fn: lambda.IFunction, options: TopologyTargetOptions = {}): void {
    const deadLetterQueue = this.claimTarget("step", options);
    this.rule.addTarget(
      new targets.LambdaFunction(fn, { deadLetterQueue, ...retryProps(this.definition.retry) }),
    );
  }

  /**
   * Sends the rule's events to a cluster's queue (a rule whose target is `cluster-queue`).
   *
   * @example
   * ```ts
   * rule.addQueue(clusterQueue);
   * ```
   */
  addQueue(
    queue: sqs.IQueue,
    options: TopologyTargetOptions & { readonly messageGroupId?: string } = {},
  ): void {
    const deadLetterQueue = this.claimTarget("cluster-queue", options);
    this.rule.addTarget(
      new targets.SqsQueue(queue, {
        deadLetterQueue,
        messageGroupId: options.messageGroupId,
        ...retryProps(this.definition.retry),
      }),
    );
  }

  /**
   * Forwards the rule's events to another bus (a rule whose target is a `bus`), with the rule's
   * retry policy, which `targets.EventBus` cannot set yet (aws-cdk issue 28735).
   *
   * @example
   * ```ts
   * rule.addEventBus(shiplineBus, { role: forwardingRole });
   * ```
   */
  addEventBus(
    bus: events.IEventBus,
    options: TopologyTargetOptions & { readonly role?: iam.IRole } = {},
  ): void {
    const deadLetterQueue = this.claimTarget("bus", options);
    const role = options.role;
    const inner = new targets.EventBus(bus, { deadLetterQueue, role });
    const retry = this.definition.retry;
    this.rule.addTarget({
      bind: (rule, id) => ({
        ...inner.bind(rule, id),
        retryPolicy: {
          maximumRetryAttempts: retry.maximumRetryAttempts,
          maximumEventAgeInSeconds: retry.maximumEventAgeSeconds,
        },
      }),
    });
  }

  /**
   * Writes the rule's events to a log group (a rule whose target is `event-log`), and lets this rule,
   * and only it, write there through the log group's resource policy. A native resource policy is
   * used instead of `targets.CloudWatchLogGroup`, whose custom resource would add a Lambda function
   * allowed to change every resource policy of the account.
   *
   * @example
   * ```ts
   * rule.addLogGroup(eventLog.logGroup);
   * ```
   */
  addLogGroup(logGroup: logs.ILogGroup, options: TopologyTargetOptions = {}): void {
    const deadLetterQueue = this.claimTarget("event-log", options);
    const fromThisRule = { ArnEquals: { "aws:SourceArn": this.rule.ruleArn } };
    logs.LogGroupGrants.fromLogGroup(logGroup).write(
      new iam.ServicePrincipal("events.amazonaws.com", { conditions: fromThisRule }),
    );
    deadLetterQueue.grant(
      new iam.ServicePrincipal("events.amazonaws.com", { conditions: fromThisRule }),
      "sqs:SendMessage",
    );
    const stack = Stack.of(logGroup);
    const retry = this.definition.retry;
    this.rule.addTarget({
      bind: () => ({
        arn: stack.formatArn({
          service: "logs",
          resource: "log-group",
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          resourceName: logGroup.logGroupName,
        }),
        deadLetterConfig: { arn: deadLetterQueue.queueArn },
        retryPolicy: {
          maximumRetryAttempts: retry.maximumRetryAttempts,
          maximumEventAgeInSeconds: retry.maximumEventAgeSeconds,
        },
        targetResource: logGroup,
      }),
    });
  }

  /** Checks the target kind against the definition and that the rule has no target yet. */
  private claimTarget(kind: RuleTarget["kind"], options: TopologyTargetOptions): sqs.IQueue {
    const expected = this.definition.target.kind;
    if (expected !== kind) {
      throw new ShiplineError({
        code: "RULE_TARGET_MISMATCH",
        message: `${this.node.path}: rule '${this.definition.name}' sends its events to a '${expected}' target, not to a '${kind}' one; use the add method for '${expected}'`,
        data: { rule: this.definition.name, expected, given: kind },
      });
    }
    if (this.hasTarget) {
      throw new ShiplineError({
        code: "RULE_TARGET_TAKEN",
        message: `${this.node.path}: rule '${this.definition.name}' already has its target; a topology rule has exactly one, so connect the step once`,
        data: { rule: this.definition.name },
      });
    }
    this.hasTarget = true;
    this.targetDeadLetterQueue =
      options.deadLetterQueue ??
      this.defaultDeadLetterQueue ??
      new DeadLetterQueue(this, "DeadLetters").queue;
    return this.targetDeadLetterQueue;
  }
}
