import path from "node:path";
import { type Duration, Stack } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { filtersByPath } from "../../functions/core/build/filters-by-path.js";
import { parseRepoRef } from "../../functions/core/config/repo-ref.js";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { AppBuild } from "./app-build.js";
import type { EventRouting } from "./event-routing.js";
import { HarborAccess } from "./harbor-access.js";
import { ECR_READ_ACTIONS, ImageSweep } from "./image-sweep.js";
import { RegistryAccounts } from "./registry-accounts.js";
import { LAMBDA_ENTRY_DIR, StepFunction } from "./step-function.js";
import type { StepFunctionConfig } from "./step-function-config.js";
import { StepFunctionTable } from "./step-function-table.js";
import { grantStoreOperations } from "./store-grants.js";
import { WebhookEndpoint } from "./webhook-endpoint.js";

/** Properties of a {@link CommitToImage}. */
export interface CommitToImageProps {
  /** Shipline's bus. */
  readonly eventBus: events.IEventBus;
  /** The rules of the topology: the steps' functions are connected to theirs. */
  readonly routing: EventRouting;
  /** The configuration: one build per app. */
  readonly config: StepFunctionConfig;
  /**
   * The code of every function instead of its esbuild bundle (tests pass `Code.fromInline`).
   *
   * @default - each function's entry under `functions/lambda/`, bundled
   */
  readonly functionCode?: lambda.Code;
  /**
   * The CPU architecture the apps' images are built for (their clusters' nodes).
   *
   * @default "x86_64"
   */
  readonly buildArchitecture?: "x86_64" | "arm64";
  /** How often the image sweep runs. @default Duration.minutes(5) */
  readonly sweepRate?: Duration;
}

/**
 * Steps 1 to 4 of the chain on AWS, from a push to an image in ECR: the webhook endpoint, one build
 * (ECR repositories and CodeBuild project) per app, and the `start-build`, `build-status` and
 * `image-pushed` functions with the image sweep, each connected to its rules with the step's
 * dead-letter queue. Each function may only do its own step: start-build may start Shipline's
 * projects, image-pushed and the sweep may read the apps' image repositories, build-status may only
 * publish.
 *
 * @example
 * ```ts
 * const commitToImage = new CommitToImage(this, "CommitToImage", { eventBus, routing, config });
 * grantStoreOperations(commitToImage.imagesTable.table, scanGate.role, ["get", "put", "query"]);
 * ```
 */
export class CommitToImage extends Construct {
  /** Idempotency records: webhook deliveries published, builds started. */
  readonly idempotencyTable: StepFunctionTable;
  /** Known images, sweep watermarks and scan verdicts. */
  readonly imagesTable: StepFunctionTable;
  /** Each app's build, by app name. */
  readonly builds: ReadonlyMap<string, AppBuild>;
  /** The registry host of Shipline-managed repositories. */
  readonly imageRegistry: string;
  /** Step 1. */
  readonly webhook: WebhookEndpoint;
  /** Step 2. */
  readonly startBuild: StepFunction;
  /** Step 3. */
  readonly buildStatus: StepFunction;
  /** Step 4. */
  readonly imagePushed: StepFunction;
  /** Step 4's backstop. */
  readonly imageSweep: ImageSweep;
  /** The Harbor webhook secret and robot accounts, when the configuration declares a Harbor. */
  readonly harbor: HarborAccess | undefined;
  /** The publish secret and accounts of registries of kind oci, when the configuration declares one. */
  readonly registryAccounts: RegistryAccounts | undefined;

  constructor(scope: Construct, id: string, props: CommitToImageProps) {
    super(scope, id);
    const { eventBus, routing, config } = props;
    const code = props.functionCode;
    const stack = Stack.of(this);
    this.imageRegistry = `${stack.account}.dkr.ecr.${stack.region}.${stack.urlSuffix}`;
    this.idempotencyTable = new StepFunctionTable(this, "IdempotencyTable");
    this.imagesTable = new StepFunctionTable(this, "ImagesTable");

    const buildKey = new kms.Key(this, "BuildKey", {
      enableKeyRotation: true,
      description: "Encrypts the output of Shipline's app builds",
    });
    const builds = new Map<string, AppBuild>();
    for (const app of config.config.apps) {
      builds.set(
        app.name,
        new AppBuild(this, `Build-${app.name}`, {
          app,
          encryptionKey: buildKey,
          architecture: props.buildArchitecture,
        }),
      );
    }
    this.builds = builds;
    const projects = [...builds.entries()].flatMap(([app, build]) =>
      build.project === undefined || build.projectName === undefined
        ? []
        : [{ app, project: build.project, name: build.projectName }],
    );
    const imageRepositories = [...builds.values()].map((build) => build.imageRepository);

    // A CodeCommit push lists no paths: the webhook reads them (GetDifferences) for the apps that
    // filter by path, and start-build selects apps with what the push carries.
    const differencesRead = config.config.apps.filter(
      (app) => builds.get(app.name)?.sourceRepository !== undefined && filtersByPath(app.source),
    );
    const changedPathsRepositories = [
      ...new Set(
        differencesRead.flatMap((app) => {
          const repo = parseRepoRef(app.source.repo);
          return "problem" in repo ? [] : [repo.key];
        }),
      ),
    ];
    this.harbor = config === undefined ? undefined : HarborAccess.of(this, "Harbor", config.config);
    // Registries of kind oci: CIs sign their announcements with the publish secret; the webhook
    // resolves announced images, image-pushed reads their labels, with the registries' accounts.
    this.registryAccounts = RegistryAccounts.of(this, "RegistryAccounts", config.config);
    const registryAccounts = this.registryAccounts;
    this.webhook = new WebhookEndpoint(this, "Webhook", {
      eventBus,
      idempotencyTable: this.idempotencyTable.table,
      code,
      changedPathsRepositories,
      // With the configuration, a push of a repository it does not name is answered 202 and not
      // published, and Harbor's notifications are published for the repositories it names.
      config,
      ...(this.harbor === undefined ? {} : { harborWebhookSecret: this.harbor.webhookSecret }),
      ...(registryAccounts === undefined ? {} : { publishSecret: registryAccounts.publishSecret }),
    });
    for (const app of differencesRead) builds.get(app.name)?.grantDifferencesRead(this.webhook.step.role);
    registryAccounts?.grantRead(this.webhook.step.role);
    this.webhook.step.sendFailuresTo(routing.connectStep("webhook", this.webhook.step.fn));

    this.startBuild = new StepFunction(this, "StartBuild", {
      step: "start-build",
      eventBus,
      code,
      config,
      environment: {
        [EnvName.IdempotencyTable]: this.idempotencyTable.table.tableName,
        [EnvName.ImageRegistry]: this.imageRegistry,
        [EnvName.BuildProjects]: JSON.stringify(
          Object.fromEntries(projects.map(({ app, name }) => [app, name])),
        ),
      },
    });
    // start-builds: a claim per app and commit (put ifAbsent) and its record (get).
    grantStoreOperations(this.idempotencyTable.table, this.startBuild.role, ["get", "put"]);
    if (projects.length > 0) {
      iam.Grant.addToPrincipal({
        grantee: this.startBuild.role,
        actions: ["codebuild:StartBuild"],
        resourceArns: projects.map(({ project }) => project.projectArn),
      });
    }
    // The changed paths of a push that lists none and carries none: a fetch with the app's credentials.
    for (const build of builds.values()) build.grantSourceRead(this.startBuild.role);
    this.startBuild.sendFailuresTo(routing.connectStep("start-build", this.startBuild.fn));

    this.buildStatus = new StepFunction(this, "BuildStatus", {
      step: "build-status",
      eventBus,
      code,
      environment: {
        [EnvName.IdempotencyTable]: this.idempotencyTable.table.tableName,
        [EnvName.ChartApps]: JSON.stringify(
          config.config.apps.filter((app) => builds.get(app.name)?.chartRepository).map((app) => app.name),
        ),
      },
    });
    // A build's outcome is published once: its record is read and written; a succeeded build's
    // exported variables (its chart) are read from the build, which CodeBuild's event does not carry.
    grantStoreOperations(this.idempotencyTable.table, this.buildStatus.role, ["get", "put"]);
    if (projects.length > 0) {
      iam.Grant.addToPrincipal({
        grantee: this.buildStatus.role,
        actions: ["codebuild:BatchGetBuilds"],
        resourceArns: projects.map(({ project }) => project.projectArn),
      });
    }
    this.buildStatus.sendFailuresTo(routing.connectStep("build-status", this.buildStatus.fn));

    this.imagePushed = new StepFunction(this, "ImagePushed", {
      step: "image-pushed",
      // Git is bundled only when an app's accept.branches needs the image's branch proven.
      ...(config.config.apps.some((app) => app.accept?.branches !== undefined)
        ? { entry: path.join(LAMBDA_ENTRY_DIR, "image-pushed-branches.ts") }
        : {}),
      eventBus,
      code,
      config,
      environment: {
        [EnvName.ImagesTable]: this.imagesTable.table.tableName,
        [EnvName.ImageRegistry]: this.imageRegistry,
      },
      // image-pushed arms each image's scan timeout: the scan gate, created after this construct,
      // fills these in (ScanGateFunction.timeoutEnvironment).
      laterEnvironment: [
        EnvName.ScanTimeoutScheduleGroup,
        EnvName.ScanTimeoutTargetArn,
        EnvName.ScanTimeoutRoleArn,
      ],
    });
    for (const repository of imageRepositories) repository.grant(this.imagePushed.role, ...ECR_READ_ACTIONS);
    // announce-image and known-image: claim and record an image, release the claim on failure.
    grantStoreOperations(this.imagesTable.table, this.imagePushed.role, ["get", "put", "delete"]);
    // Harbor's pushes: labels are read through Harbor's API with the robot account.
    this.harbor?.grantRobotRead(this.imagePushed.role);
    registryAccounts?.grantRead(this.imagePushed.role);
    this.imagePushed.sendFailuresTo(routing.connectStep("image-pushed", this.imagePushed.fn));

    this.imageSweep = new ImageSweep(this, "ImageSweep", {
      eventBus,
      imagesTable: this.imagesTable.table,
      repositories: imageRepositories,
      imageRegistry: this.imageRegistry,
      config,
      code,
      rate: props.sweepRate,
    });
    // accept.branches: image-pushed and the sweep read those apps' histories (with their credentials).
    for (const app of config.config.apps.filter((candidate) => candidate.accept?.branches !== undefined)) {
      builds.get(app.name)?.grantHistoryRead(this.imagePushed.role);
      builds.get(app.name)?.grantHistoryRead(this.imageSweep.step.role);
    }
  }
}
