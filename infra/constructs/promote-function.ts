import { Duration, Stack, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { PromoteEnvName } from "../../functions/core/promotion/promote-env-names.js";
import type { EventRouting } from "./event-routing.js";
import { StepFunction } from "./step-function.js";
import type { StepFunctionConfig } from "./step-function-config.js";
import { StepFunctionTable } from "./step-function-table.js";
import { grantStoreOperations } from "./store-grants.js";

/** Properties of a {@link PromoteFunction}. */
export interface PromoteFunctionProps {
  /** Shipline's bus, where the step records permanent failures. */
  readonly eventBus: events.IEventBus;
  /**
   * The topology's rules: `Image Approved`, `Deployment Verified`, `Promotion Approved`,
   * `Hold Placed` and `Hold Released` get the step's function.
   */
  readonly routing: EventRouting;
  /** The config repository's FIFO writer queue, where the step sends write intents. */
  readonly writerQueue: sqs.IQueue;
  /** The configuration (environments, apps, config repo). */
  readonly config: StepFunctionConfig;
  /**
   * The table of promotion records (images, holds, pending promotions, decisions).
   *
   * @default - a `StepFunctionTable` of the construct's own
   */
  readonly stateTable?: dynamodb.ITable;
  /**
   * The scan gate's table of images and verdicts: promote reads the gate's own verdict of an image
   * before it lets it in (only the gate's approval deploys), and may only read it.
   */
  readonly imagesTable: dynamodb.ITable;
  /**
   * The function's code instead of the esbuild bundle of `functions/lambda/promote.ts`.
   *
   * @default - the bundle
   */
  readonly code?: lambda.Code;
}

/**
 * The promote step (step 6): its function, invoked by the topology's promotion and hold rules and
 * by one-time EventBridge Scheduler schedules it creates itself in its own schedule group (a soak
 * time ending, a hold expiring). The function may read and write the promotion table, send to the
 * writer queue, create schedules in its group and hand Scheduler the invoke role, and put events on
 * Shipline's bus; the schedules' role may only invoke the function and dead-letter into the step's
 * queue.
 *
 * @example
 * ```ts
 * const promote = new PromoteFunction(this, "Promote", { eventBus, routing, writerQueue: writer.queue, config });
 * ```
 */
export class PromoteFunction extends Construct {
  /** The step's function. */
  readonly step: StepFunction;
  /** The table of promotion records. */
  readonly stateTable: dynamodb.ITable;
  /** The group of the promotion-check schedules. */
  readonly scheduleGroup: scheduler.ScheduleGroup;
  /** The role EventBridge Scheduler assumes to invoke the function when a check is due. */
  readonly schedulerRole: iam.Role;
  /** The queue of events and checks the step could not handle. */
  readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: PromoteFunctionProps) {
    super(scope, id);
    if (!props.writerQueue.fifo) {
      throw new ShiplineError({
        code: "CONSTRUCT_PROPS_INVALID",
        message: `${this.node.path}: writerQueue is a standard queue; pass the config repository's FIFO queue, which keeps one writer per repository and branch`,
        data: { construct: this.node.path },
      });
    }
    this.stateTable = props.stateTable ?? new StepFunctionTable(this, "State").table;
    this.scheduleGroup = new scheduler.ScheduleGroup(this, "Checks", {});
    this.step = new StepFunction(this, "Function", {
      step: "promote",
      description:
        "Shipline: decides which environments get which image (write intents to the config writer)",
      eventBus: props.eventBus,
      code: props.code,
      config: props.config,
      timeout: Duration.minutes(2),
      environment: {
        [PromoteEnvName.PromotionTable]: this.stateTable.tableName,
        [PromoteEnvName.WriteQueueUrl]: props.writerQueue.queueUrl,
        [PromoteEnvName.ScheduleGroup]: this.scheduleGroup.scheduleGroupName,
        [PromoteEnvName.GitCacheDir]: "/tmp/shipline-git",
        [PromoteEnvName.ImagesTable]: props.imagesTable.tableName,
      },
      laterEnvironment: [PromoteEnvName.SchedulerRoleArn, PromoteEnvName.SchedulerDeadLetterArn],
    });
    const role = this.step.role;
    // promotion-state: soaks, approvals, holds and waits are read, written, queried and cleared.
    grantStoreOperations(this.stateTable, role, ["get", "put", "delete", "query"]);
    // The gate's verdict of an approved image: read, never written.
    grantStoreOperations(props.imagesTable, role, ["get"]);
    props.writerQueue.grantSendMessages(role);

    this.schedulerRole = new iam.Role(this, "SchedulerRole", {
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: {
          StringEquals: { "aws:SourceAccount": Stack.of(this).account },
          ArnEquals: { "aws:SourceArn": this.scheduleGroup.scheduleGroupArn },
        },
      }),
      description:
        "Lets EventBridge Scheduler invoke Shipline's promote step when a soak time ends or a hold expires",
    });
    this.step.fn.grantInvoke(this.schedulerRole);
    this.scheduleGroup.grantWriteSchedules(role);
    this.schedulerRole.grantPassRole(role);

    this.deadLetterQueue = props.routing.connectStep("promote", this.step.fn);
    this.step.sendFailuresTo(this.deadLetterQueue);
    this.deadLetterQueue.grantSendMessages(this.schedulerRole);
    this.step.addEnvironment(PromoteEnvName.SchedulerRoleArn, this.schedulerRole.roleArn);
    this.step.addEnvironment(PromoteEnvName.SchedulerDeadLetterArn, this.deadLetterQueue.queueArn);
    this.acknowledgeWildcards();
  }

  private acknowledgeWildcards(): void {
    const stack = Stack.of(this);
    const fnId = stack.getLogicalId(cfnOf(this.step.fn, lambda.CfnFunction));
    Validations.of(this.schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction on the promote function and its versions and aliases (the ':*' suffix), as grantInvoke grants it; no other function.",
    });
    const group = stack.resolve(this.scheduleGroup.scheduleGroupName);
    const groupName =
      typeof group === "string"
        ? group
        : `<${stack.getLogicalId(cfnOf(this.scheduleGroup, scheduler.CfnScheduleGroup))}>`;
    Validations.of(this.step.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${groupName}/*]`,
      reason:
        "Promotion checks are named per image and environment at run time, so the grant covers every schedule of the step's own schedule group, and no other group.",
    });
    Validations.of(this.step.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray's xray:PutTraceSegments / xray:PutTelemetryRecords support no resource-level permission, so IAM only grants them on every resource ('*').",
    });
  }
}

function cfnOf<T>(construct: Construct, type: abstract new (...args: never[]) => T): T {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof type)) {
    throw new ShiplineError({
      code: "CONSTRUCT_PROPS_INVALID",
      message: `${construct.node.path}: it has no CloudFormation resource to name`,
      data: { construct: construct.node.path },
    });
  }
  return resource;
}
