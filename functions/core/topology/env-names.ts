/**
 * Names of the environment variables a step's function reads. `infra/` sets them and
 * `functions/handlers/shared/environment.ts` reads them, so both sides use these constants and a
 * renamed variable cannot drift apart.
 *
 * @example
 * ```ts
 * new lambda.Function(this, "StartBuild", {
 *   environment: { [EnvName.EventBusName]: bus.eventBusName, [EnvName.ConfigFile]: "shipline.config.yaml" },
 * });
 * ```
 */
export const EnvName = {
  /** The custom bus every step publishes to. */
  EventBusName: "EVENT_BUS_NAME",
  /** Path of `shipline.config.yaml` inside the function bundle (one of ConfigFile / ConfigJson). */
  ConfigFile: "CONFIG_FILE",
  /** The configuration inline, as JSON (one of ConfigFile / ConfigJson). */
  ConfigJson: "CONFIG_JSON",
  /** The DynamoDB table of the ledger. */
  LedgerTable: "LEDGER_TABLE",
  /** The DynamoDB table of idempotency records (webhook deliveries, build starts). */
  IdempotencyTable: "IDEMPOTENCY_TABLE",
  /** Powertools' service name: the step's name in logs, metrics and traces. */
  ServiceName: "POWERTOOLS_SERVICE_NAME",
  /** Powertools' CloudWatch metrics namespace. */
  MetricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
  /** Powertools' log level (DEBUG, INFO, WARN, ERROR, ...). */
  LogLevel: "POWERTOOLS_LOG_LEVEL",
  /** Set to "false" to turn Powertools tracing off (it is off outside Lambda anyway). */
  TraceEnabled: "POWERTOOLS_TRACE_ENABLED",
  /** The Secrets Manager secret (ARN) holding the webhook secret(s) the webhook step verifies with. */
  WebhookSecretArn: "WEBHOOK_SECRET_ARN",
  /**
   * The Secrets Manager secret (ARN) holding the Harbor webhook secret(s): the Auth Header Harbor's
   * webhook policies send. Set only where the configuration declares a Harbor.
   */
  HarborWebhookSecretArn: "HARBOR_WEBHOOK_SECRET_ARN",
  /**
   * The Secrets Manager secret (ARN) holding the publish secret(s): the key CIs sign the "image
   * published" call with (`shipline publish`). Set only where the configuration declares a registry
   * of kind oci.
   */
  PublishSecretArn: "PUBLISH_SECRET_ARN",
  /**
   * The repositories whose pushes the webhook reads the changed paths of (CodeCommit's, of the apps
   * that filter by path), as a JSON array of keys (`parseRepoRef(...).key`).
   */
  ChangedPathsRepositories: "CHANGED_PATHS_REPOSITORIES",
  /** The DynamoDB table of known images, sweep watermarks and scan verdicts (the `images` table). */
  ImagesTable: "IMAGES_TABLE",
  /** The registry host of Shipline-managed image repositories (ECR of the account and region). */
  ImageRegistry: "IMAGE_REGISTRY",
  /** The CodeBuild project of each app, as a JSON object `{ "<app>": "<project name>" }`. */
  BuildProjects: "BUILD_PROJECTS",
  /** The apps that declare a chart, as a JSON array of app names (build-status reads their builds' charts). */
  ChartApps: "CHART_APPS",
  /** The URL of the config repository's FIFO writer queue (write intents: promote, rollback). */
  WriteQueueUrl: "WRITE_QUEUE_URL",
  /** The EventBridge Scheduler group of the scan gate's one-time timeout schedules. */
  ScanTimeoutScheduleGroup: "SCAN_TIMEOUT_SCHEDULE_GROUP",
  /** The ARN of the function a scan-timeout schedule invokes (the scan gate). */
  ScanTimeoutTargetArn: "SCAN_TIMEOUT_TARGET_ARN",
  /** The role EventBridge Scheduler assumes to invoke the scan gate. */
  ScanTimeoutRoleArn: "SCAN_TIMEOUT_ROLE_ARN",
  /**
   * The regional endpoint of the S3 bucket where the scan job of registries of kind oci stores its
   * reports (`<bucket>.s3.<region>.amazonaws.com`), which the scan gate reads. Set only where a
   * registry of kind oci is scanned.
   */
  ScanReportsBucketHost: "SCAN_REPORTS_BUCKET_HOST",
} as const;

/** One of the values of {@link EnvName}. */
export type EnvVariableName = (typeof EnvName)[keyof typeof EnvName];

/** The metrics namespace used when {@link EnvName.MetricsNamespace} is not set. */
export const DEFAULT_METRICS_NAMESPACE = "Shipline";
