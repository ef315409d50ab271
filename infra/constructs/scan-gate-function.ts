import { Duration, Stack, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as ecr from "aws-cdk-lib/aws-ecr";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { EnvName } from "../../functions/core/topology/env-names.js";
import type { EventRouting } from "./event-routing.js";
import { isScannedRegistry } from "./registry-scan.js";
import { StepFunction } from "./step-function.js";
import type { StepFunctionConfig } from "./step-function-config.js";
import { grantStoreOperations } from "./store-grants.js";

/** Properties of a {@link ScanGateFunction}. */
export interface ScanGateFunctionProps {
  /** Shipline's bus, where the gate publishes `Image Approved` and `Image Rejected`. */
  readonly eventBus: events.IEventBus;
  /** The topology's rules: the gate's `ECR Image Scan` and `Inspector2 Scan` rules get its function. */
  readonly routing: EventRouting;
  /** The table of known images, where the gate also keeps verdicts and early scan results. */
  readonly imagesTable: dynamodb.ITable;
  /** Shipline's image repositories: the only ones whose scan findings the gate may read. */
  readonly repositories: readonly ecr.IRepository[];
  /** The configuration (its `scanPolicy`). */
  readonly config: StepFunctionConfig;
  /**
   * The function's code instead of the esbuild bundle of `functions/lambda/scan-gate.ts`.
   *
   * @default - the bundle
   */
  readonly code?: lambda.Code;
}

/**
 * The scan gate (step 5): its function, invoked by the topology's `ECR Image Scan` and `Inspector2
 * Scan` rules and by one-time EventBridge Scheduler schedules (the scan timeouts, created by
 * `image-pushed` in this construct's schedule group). The function may read the findings of
 * Shipline's repositories only (`ecr:DescribeImageScanFindings`), list Inspector findings
 * (`inspector2:ListFindings`, which takes no resource), read and write the images table and put
 * events on Shipline's bus; the schedules' role may only invoke the function.
 *
 * @example
 * ```ts
 * const scanGate = new ScanGateFunction(this, "ScanGate", { eventBus, routing, imagesTable, repositories, config });
 * scanGate.grantScheduleTimeouts(imagePushed.role);
 * for (const [name, value] of Object.entries(scanGate.timeoutEnvironment)) imagePushed.addEnvironment(name, value);
 * ```
 */
export class ScanGateFunction extends Construct {
  /** The gate's function. */
  readonly step: StepFunction;
  /** The group of the scan-timeout schedules. */
  readonly timeoutGroup: scheduler.ScheduleGroup;
  /** The role EventBridge Scheduler assumes to invoke the gate when a timeout is due. */
  readonly timeoutRole: iam.Role;
  /** The queue of events the gate could not handle (the step's dead-letter queue). */
  readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: ScanGateFunctionProps) {
    super(scope, id);
    if (props.repositories.length === 0) {
      throw new ShiplineError({
        code: "CONSTRUCT_PROPS_INVALID",
        message: `${this.node.path}: repositories is empty; pass the apps' image repositories, whose scan findings the gate reads`,
        data: { construct: this.node.path },
      });
    }
    this.step = new StepFunction(this, "Function", {
      step: "scan-gate",
      description: "Shipline: applies the scan policy to scanned images (Image Approved / Image Rejected)",
      eventBus: props.eventBus,
      code: props.code,
      config: props.config,
      timeout: Duration.minutes(1),
      environment: { [EnvName.ImagesTable]: props.imagesTable.tableName },
      // The scan job's bucket, created after the gate where a registry of kind oci is scanned.
      laterEnvironment: props.config.config.registries.some(isScannedRegistry)
        ? [EnvName.ScanReportsBucketHost]
        : [],
    });
    const role = this.step.role;
    for (const repository of props.repositories) repository.grant(role, "ecr:DescribeImageScanFindings");
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["inspector2:ListFindings"], resources: ["*"] }),
    );
    // publish-verdict-once and known-image (get, put), parked scans of unknown images (put, query).
    grantStoreOperations(props.imagesTable, role, ["get", "put", "query"]);
    Validations.of(role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "inspector2:ListFindings and X-Ray's xray:PutTraceSegments / xray:PutTelemetryRecords support no resource-level permission, so IAM only grants them on every resource ('*').",
    });

    this.timeoutGroup = new scheduler.ScheduleGroup(this, "TimeoutGroup", {});
    this.timeoutRole = new iam.Role(this, "TimeoutRole", {
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: {
          StringEquals: { "aws:SourceAccount": Stack.of(this).account },
          ArnEquals: { "aws:SourceArn": this.timeoutGroup.scheduleGroupArn },
        },
      }),
      description:
        "Lets EventBridge Scheduler invoke Shipline's scan gate when an image's scan timeout is due",
    });
    this.step.fn.grantInvoke(this.timeoutRole);
    Validations.of(this.timeoutRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(cfnFunction(this.step.fn))}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction on the scan gate and its versions and aliases (the ':*' suffix), as grantInvoke grants it; no other function.",
    });

    this.deadLetterQueue = props.routing.connectStep("scan-gate", this.step.fn);
    this.step.sendFailuresTo(this.deadLetterQueue);
  }

  /**
   * The variables a function that schedules scan timeouts (`image-pushed`) needs: the schedule
   * group, the gate's ARN and the role Scheduler assumes.
   */
  get timeoutEnvironment(): Readonly<Record<string, string>> {
    return {
      [EnvName.ScanTimeoutScheduleGroup]: this.timeoutGroup.scheduleGroupName,
      [EnvName.ScanTimeoutTargetArn]: this.step.fn.functionArn,
      [EnvName.ScanTimeoutRoleArn]: this.timeoutRole.roleArn,
    };
  }

  /**
   * Lets a function create scan-timeout schedules in the group and hand Scheduler the timeout role.
   *
   * @example
   * ```ts
   * scanGate.grantScheduleTimeouts(imagePushed.role);
   * ```
   */
  grantScheduleTimeouts(grantee: iam.IGrantable): void {
    this.timeoutGroup.grantWriteSchedules(grantee);
    this.timeoutRole.grantPassRole(grantee.grantPrincipal);
    const principal = grantee.grantPrincipal;
    if (principal instanceof iam.Role) {
      const group = Stack.of(this).resolve(this.timeoutGroup.scheduleGroupName);
      const name =
        typeof group === "string" ? group : `<${Stack.of(this).getLogicalId(cfnGroup(this.timeoutGroup))}>`;
      Validations.of(principal).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${name}/*]`,
        reason:
          "Scan-timeout schedules are named per image at run time, so the grant covers every schedule of the scan gate's own schedule group, and no other group.",
      });
    }
  }
}

function cfnGroup(group: scheduler.ScheduleGroup): scheduler.CfnScheduleGroup {
  const resource = group.node.defaultChild;
  if (!(resource instanceof scheduler.CfnScheduleGroup)) {
    throw new ShiplineError({
      code: "CONSTRUCT_PROPS_INVALID",
      message: `${group.node.path}: the schedule group has no CloudFormation resource to name`,
      data: { construct: group.node.path },
    });
  }
  return resource;
}

function cfnFunction(fn: lambda.Function): lambda.CfnFunction {
  const resource = fn.node.defaultChild;
  if (!(resource instanceof lambda.CfnFunction)) {
    throw new ShiplineError({
      code: "CONSTRUCT_PROPS_INVALID",
      message: `${fn.node.path}: the function has no CloudFormation resource to name; pass a lambda.Function`,
      data: { construct: fn.node.path },
    });
  }
  return resource;
}
