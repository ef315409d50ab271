import path from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, Token, Validations } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as destinations from "aws-cdk-lib/aws-lambda-destinations";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { CONFIG_FILE_NAME } from "../../functions/adapters/local/config-file-loader.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { DEFAULT_METRICS_NAMESPACE, EnvName } from "../../functions/core/topology/env-names.js";
import type { StepName } from "../../functions/core/topology/rule-definition.js";
import { lambdaBundlingOptions, STEP_TRACINGS, type StepTracing } from "./lambda-bundling.js";
import type { StepFunctionConfig } from "./step-function-config.js";

/** The directory of the Lambda entry files, `functions/lambda/`. */
export const LAMBDA_ENTRY_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../functions/lambda",
);

/** Lambda refuses a function whose environment (names and values) exceeds 4 KB. */
export const ENVIRONMENT_LIMIT_BYTES = 4096;

/** What a value CloudFormation fills in at deployment (a name, an ARN) is counted as. */
const UNRESOLVED_VALUE_BYTES = 256;

/** The context key that sets every step function's tracing (`cdk deploy -c shipline:tracing=detailed`). */
export const TRACING_CONTEXT = "shipline:tracing";

/** Powertools' log levels. */
export type StepLogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

/** Properties of a {@link StepFunction}. */
export interface StepFunctionProps {
  /** The step the function belongs to. */
  readonly step: StepName;
  /**
   * The function's name within the step: its service name in logs, metrics and traces, and the
   * name of its entry file (e.g. `image-sweep` for the sweep of the `image-pushed` step).
   *
   * @default - the step
   */
  readonly name?: string;
  /** Shipline's bus: the function may put events there, and nowhere else. */
  readonly eventBus: events.IEventBus;
  /**
   * The entry file to bundle.
   *
   * @default - `functions/lambda/<name>.ts`
   */
  readonly entry?: string;
  /**
   * The function's code, instead of an esbuild bundle of `entry` (tests pass `Code.fromInline`
   * so that a synthesis runs no bundler; the handler is then `index.handler`).
   *
   * @default - `entry` bundled by esbuild: minified ESM with a source map
   */
  readonly code?: lambda.Code;
  /**
   * The configuration the step reads: its document goes into `CONFIG_JSON` when the environment
   * stays within Lambda's 4 KB, else into the bundle as `shipline.config.yaml` named by `CONFIG_FILE`.
   *
   * @default - no configuration
   */
  readonly config?: StepFunctionConfig;
  /**
   * More environment variables (names from `EnvName`).
   *
   * @default - only the bus, Powertools' settings and the configuration
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Names of variables set after construction with {@link StepFunction.addEnvironment} (values a
   * construct created later fills in). Each is counted as a deploy-time value when the
   * configuration is placed, so that adding them later cannot push the environment over 4 KB.
   *
   * @default - none
   */
  readonly laterEnvironment?: readonly string[];
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * How many instances may run at once, reserved from the account's concurrency.
   *
   * @default - no reservation: the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** @default "INFO" */
  readonly logLevel?: StepLogLevel;
  /** @default "Shipline" */
  readonly metricsNamespace?: string;
  /** @default lambda.Runtime.NODEJS_24_X - the newest Node.js runtime */
  readonly runtime?: lambda.Runtime;
  /** A description for the console. @default - names the function and its step */
  readonly description?: string;
  /**
   * How the function is traced in X-Ray: `active` (Lambda records each invocation and the trace id
   * travels on through the bus; no X-Ray SDK in the bundle) or `detailed` (also Powertools' tracer:
   * a subsegment per AWS call and the `correlationId` annotation). See `StepTracing`.
   *
   * @default - the `shipline:tracing` context value, else "active"
   */
  readonly tracing?: StepTracing;
}

/**
 * One step's Lambda function as Shipline deploys every step: Node.js on arm64, an esbuild bundle
 * (ESM, minified, source maps, the AWS SDK bundled at the versions the code was tested with), Powertools'
 * settings, active tracing, a log group of its own, and a role that starts with nothing but writing
 * those logs, traces and putting events on Shipline's bus. Each step grants the rest itself.
 *
 * @example
 * ```ts
 * const startBuild = new StepFunction(this, "StartBuild", { step: "start-build", eventBus, config });
 * project.grant(startBuild.role, "codebuild:StartBuild");
 * startBuild.sendFailuresTo(routing.connectStep("start-build", startBuild.fn));
 * ```
 */
export class StepFunction extends Construct {
  /** The function. */
  readonly fn: lambda.Function;
  /** Its execution role. */
  readonly role: iam.Role;
  /** Its log group. */
  readonly logGroup: logs.LogGroup;
  /** Where its configuration went, when it has one. */
  readonly configDelivery: "json" | "file" | undefined;
  /** The function's name within its step (its service name; e.g. `image-sweep`). */
  readonly name: string;
  /** The entry file the function is bundled from (also when `code` replaced the bundle). */
  readonly entry: string;
  /** How the function is traced (see `StepTracing`). */
  readonly tracing: StepTracing;
  /** The function's environment as set so far (with the room kept for `laterEnvironment`). */
  private readonly environment: Record<string, string>;
  private readonly later: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: StepFunctionProps) {
    super(scope, id);
    const { step } = props;
    const name = props.name ?? step;
    this.name = name;
    const memorySize = props.memorySize ?? 512;
    const timeout = props.timeout ?? Duration.seconds(30);
    checkProps(this, { memorySize, timeout, reserved: props.reservedConcurrentExecutions });
    this.tracing = props.tracing ?? tracingOf(this);
    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs Shipline's ${name} function (step ${step})`,
    });
    // An explicit grant on the function's own log group, instead of the managed
    // AWSLambdaBasicExecutionRole, which may write to every log group of the account.
    this.logGroup.grantWrite(this.role);
    const environment: Record<string, string> = {
      [EnvName.EventBusName]: props.eventBus.eventBusName,
      [EnvName.ServiceName]: name,
      [EnvName.MetricsNamespace]: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
      [EnvName.LogLevel]: props.logLevel ?? "INFO",
      NODE_OPTIONS: "--enable-source-maps",
      ...props.environment,
    };
    this.later = new Set(props.laterEnvironment ?? []);
    const reserve = reservedBytes(this.later);
    this.configDelivery =
      props.config === undefined ? undefined : placeConfig(environment, props.config, reserve);
    checkEnvironmentSize(this, environment, reserve);
    this.environment = environment;
    this.entry = props.entry ?? path.join(LAMBDA_ENTRY_DIR, `${name}.ts`);
    const common = {
      description: props.description ?? `Shipline: the ${name} function of step ${step}`,
      runtime: props.runtime ?? lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    };
    if (props.code !== undefined) {
      this.fn = new lambda.Function(this, "Function", {
        ...common,
        code: props.code,
        handler: "index.handler",
      });
    } else {
      const configFile = this.configDelivery === "file" ? props.config : undefined;
      this.fn = new nodejs.NodejsFunction(this, "Function", {
        ...common,
        entry: this.entry,
        handler: "handler",
        bundling: bundlingOptions(configFile, this.tracing),
      });
    }
    props.eventBus.grantPutEventsTo(this.role);
    Validations.of(this.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray only grants on every resource ('*').",
    });
  }

  /**
   * Adds a variable after construction, for a value only a construct created later has (e.g. the
   * scan gate's schedule group for image-pushed). The 4 KB check of the constructor applies: a
   * name declared in `laterEnvironment` fits in the room kept for it; any other variable is
   * counted as it comes, and one that would take the environment over Lambda's limit throws
   * `CONSTRUCT_PROPS_INVALID`.
   *
   * @example
   * ```ts
   * promote.addEnvironment(PromoteEnvName.SchedulerRoleArn, schedulerRole.roleArn);
   * ```
   */
  addEnvironment(name: string, value: string): void {
    const next = { ...this.environment, [name]: value };
    const pending = new Set([...this.later].filter((later) => !(later in next)));
    checkEnvironmentSize(this, next, reservedBytes(pending));
    this.environment[name] = value;
    this.fn.addEnvironment(name, value);
  }

  /**
   * Sends the events the function failed on, once Lambda's asynchronous retries are spent, to a
   * queue: the step's dead-letter queue from `connectStep`, so one queue holds everything the step
   * could not handle (EventBridge's dead-letter queue only receives events it could not deliver).
   *
   * @example
   * ```ts
   * buildStatus.sendFailuresTo(routing.connectStep("build-status", buildStatus.fn));
   * ```
   */
  sendFailuresTo(queue: sqs.IQueue, options: { readonly retryAttempts?: number } = {}): void {
    this.fn.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(queue),
      retryAttempts: options.retryAttempts ?? 2,
    });
  }
}

/** The room variables set later take: each name, and a deploy-time value. */
function reservedBytes(names: ReadonlySet<string>): number {
  let bytes = 0;
  for (const name of names) bytes += Buffer.byteLength(name, "utf8") + UNRESOLVED_VALUE_BYTES;
  return bytes;
}

/** Puts the configuration in `CONFIG_JSON` when the environment stays small enough, else in a file. */
function placeConfig(
  environment: Record<string, string>,
  config: StepFunctionConfig,
  reserve: number,
): "json" | "file" {
  const withJson = { ...environment, [EnvName.ConfigJson]: config.documentJson };
  if (environmentBytes(withJson) + reserve <= ENVIRONMENT_LIMIT_BYTES) {
    environment[EnvName.ConfigJson] = config.documentJson;
    return "json";
  }
  environment[EnvName.ConfigFile] = CONFIG_FILE_NAME;
  return "file";
}

/**
 * The size Lambda counts for an environment (names and values, UTF-8), with a value CloudFormation
 * fills in counted as 256 bytes, the longest name or ARN it is likely to be.
 */
export function environmentBytes(environment: Readonly<Record<string, string>>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(environment)) {
    bytes += Buffer.byteLength(name, "utf8");
    bytes += Token.isUnresolved(value) ? UNRESOLVED_VALUE_BYTES : Buffer.byteLength(value, "utf8");
  }
  return bytes;
}

/** The tracing the `shipline:tracing` context asks for; throws `CONSTRUCT_PROPS_INVALID` for another value. */
function tracingOf(scope: Construct): StepTracing {
  const value: unknown = scope.node.tryGetContext(TRACING_CONTEXT);
  if (value === undefined) return "active";
  const known = STEP_TRACINGS.find((tracing) => tracing === value);
  if (known !== undefined) return known;
  throw new ShiplineError({
    code: "CONSTRUCT_PROPS_INVALID",
    message: `${scope.node.path}: the context ${TRACING_CONTEXT} is ${JSON.stringify(value)}; set it to ${STEP_TRACINGS.map((tracing) => `'${tracing}'`).join(" or ")} (cdk deploy -c ${TRACING_CONTEXT}=detailed), or leave it out for 'active'`,
    data: { construct: scope.node.path, context: TRACING_CONTEXT, value },
  });
}

function bundlingOptions(
  config: StepFunctionConfig | undefined,
  tracing: StepTracing,
): nodejs.BundlingOptions {
  return {
    ...lambdaBundlingOptions({ tracing }),
    ...(config === undefined
      ? {}
      : {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) => [
              `node -e ${shellQuote(`require("node:fs").writeFileSync(process.argv[1], process.argv[2])`)} ${shellQuote(path.join(outputDir, CONFIG_FILE_NAME))} ${shellQuote(config.documentJson)}`,
            ],
          },
        }),
  };
}

/** Quotes a value for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function checkEnvironmentSize(
  scope: Construct,
  environment: Readonly<Record<string, string>>,
  reserve: number,
): void {
  const bytes = environmentBytes(environment) + reserve;
  if (bytes <= ENVIRONMENT_LIMIT_BYTES) return;
  throw new ShiplineError({
    code: "CONSTRUCT_PROPS_INVALID",
    message: `${scope.node.path}: the function's environment would take about ${bytes} bytes, over Lambda's ${ENVIRONMENT_LIMIT_BYTES}; pass fewer or shorter variables (the configuration already moved to a file)`,
    data: { construct: scope.node.path, bytes, names: Object.keys(environment) },
  });
}

function checkProps(
  scope: Construct,
  values: { memorySize: number; timeout: Duration; reserved: number | undefined },
): void {
  const problems: string[] = [];
  if (!Number.isInteger(values.memorySize) || values.memorySize < 128 || values.memorySize > 10_240) {
    problems.push(`memorySize is ${values.memorySize}; give whole megabytes from 128 to 10240`);
  }
  const seconds = values.timeout.toSeconds();
  if (seconds < 1 || seconds > 900) {
    problems.push(
      `timeout is ${values.timeout.toHumanString()}; Lambda allows 1 second to 15 minutes, so pick a Duration in that range`,
    );
  }
  if (values.reserved !== undefined && (!Number.isInteger(values.reserved) || values.reserved < 0)) {
    problems.push(`reservedConcurrentExecutions is ${values.reserved}; give a whole number of at least 0`);
  }
  if (problems.length === 0) return;
  throw new ShiplineError({
    code: "CONSTRUCT_PROPS_INVALID",
    message: `${scope.node.path}: ${problems.join("; ")}`,
    data: { construct: scope.node.path, problems },
  });
}
