import { Duration, Stack, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as ecr from "aws-cdk-lib/aws-ecr";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as targets from "aws-cdk-lib/aws-scheduler-targets";
import { Construct } from "constructs";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { StepFunction } from "./step-function.js";
import type { StepFunctionConfig } from "./step-function-config.js";
import { grantStoreOperations } from "./store-grants.js";

/** What reading an image's tags, labels and push time takes in ECR. */
export const ECR_READ_ACTIONS = ["ecr:DescribeImages", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/** Properties of an {@link ImageSweep}. */
export interface ImageSweepProps {
  /** Shipline's bus, where the sweep publishes `Image Pushed`. */
  readonly eventBus: events.IEventBus;
  /** The table of known images and sweep watermarks. */
  readonly imagesTable: dynamodb.ITable;
  /** The repositories swept: the apps' image repositories. */
  readonly repositories: readonly ecr.IRepository[];
  /** The registry host of Shipline-managed repositories (`IMAGE_REGISTRY`). */
  readonly imageRegistry: string;
  /** The configuration (its apps are swept). */
  readonly config: StepFunctionConfig;
  /**
   * How often the sweep runs.
   *
   * @default Duration.minutes(5)
   */
  readonly rate?: Duration;
  /**
   * The function's code instead of the esbuild bundle of `functions/lambda/image-sweep.ts`.
   *
   * @default - the bundle
   */
  readonly code?: lambda.Code;
}

/**
 * The backstop of `image-pushed` (step 4), since ECR delivers its events on a best-effort basis: an
 * EventBridge Scheduler schedule invokes the sweep function every few minutes, which lists the images
 * pushed to the apps' repositories since its watermark and announces those no event announced. The
 * function may only read those repositories' images, read and write the images table and put
 * events on Shipline's bus; the schedule's role may only invoke that function.
 *
 * @example
 * ```ts
 * new ImageSweep(this, "ImageSweep", { eventBus, imagesTable, repositories, imageRegistry, config });
 * ```
 */
export class ImageSweep extends Construct {
  /** The sweep's function. */
  readonly step: StepFunction;
  /** The schedule that invokes it. */
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: ImageSweepProps) {
    super(scope, id);
    const rate = props.rate ?? Duration.minutes(5);
    const minutes = rate.toMinutes({ integral: false });
    if (!Number.isInteger(minutes) || minutes < 1) {
      throw new ShiplineError({
        code: "CONSTRUCT_PROPS_INVALID",
        message: `${this.node.path}: rate is ${rate.toHumanString()}; EventBridge Scheduler runs rates in whole minutes, so use Duration.minutes(n) with n of at least 1`,
        data: { construct: this.node.path, rate: rate.toHumanString() },
      });
    }
    this.step = new StepFunction(this, "Function", {
      step: "image-pushed",
      name: "image-sweep",
      description: "Shipline: announces images whose ECR push event never arrived",
      eventBus: props.eventBus,
      code: props.code,
      config: props.config,
      timeout: Duration.minutes(2),
      environment: {
        [EnvName.ImagesTable]: props.imagesTable.tableName,
        [EnvName.ImageRegistry]: props.imageRegistry,
      },
    });
    for (const repository of props.repositories) repository.grant(this.step.role, ...ECR_READ_ACTIONS);
    // sweep-watermark, known-image and announce-image (claims released on failure).
    grantStoreOperations(props.imagesTable, this.step.role, ["get", "put", "delete"]);
    const scheduleRole = new iam.Role(this, "ScheduleRole", {
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
      description: "Lets EventBridge Scheduler invoke Shipline's image sweep",
    });
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(cfnFunction(this.step.fn))}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction on the sweep function and its versions and aliases (the ':*' suffix), as the scheduler target grants it; no other function.",
    });
    this.schedule = new scheduler.Schedule(this, "Schedule", {
      description: "Shipline: sweeps the apps' image repositories for images no ECR event announced",
      schedule: scheduler.ScheduleExpression.rate(rate),
      // A missed run is made up by the next one, which starts from the same watermark.
      target: new targets.LambdaInvoke(this.step.fn, { retryAttempts: 0, role: scheduleRole }),
    });
  }
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
