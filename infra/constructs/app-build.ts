import { Annotations, Duration, Names, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as codebuild from "aws-cdk-lib/aws-codebuild";
import type * as codecommit from "aws-cdk-lib/aws-codecommit";
import * as ecr from "aws-cdk-lib/aws-ecr";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { BuildVariable } from "../../functions/core/build/build-variable.js";
import { managedBuildSourceOf } from "../../functions/core/build/managed-build-source.js";
import type { AppConfig } from "../../functions/core/config/app.js";
import { isManagedBuild } from "../../functions/core/config/build.js";
import { splitImageRepository } from "../../functions/core/config/image-repository.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { appBuildSourceOf } from "./app-build-source.js";
import { ProjectVariable, renderBuildspec } from "./buildspec.js";
import { acknowledgeCodeBuildDefaults } from "./codebuild-default-findings.js";

const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** Properties of an {@link AppBuild}. */
export interface AppBuildProps {
  /** The app, from the configuration. */
  readonly app: AppConfig;
  /**
   * The CPU architecture of the build host, hence of the image (the cluster's nodes must run it).
   *
   * @default "x86_64"
   */
  readonly architecture?: "x86_64" | "arm64";
  /**
   * The key that encrypts the build's output.
   *
   * @default - a key of the project's own, with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
  /** How long a build may run. @default Duration.hours(1) */
  readonly timeout?: Duration;
  /** How long the build logs are kept. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** After how long an untagged image is deleted (whole days). @default Duration.days(7) */
  readonly untaggedImageExpiry?: Duration;
  /**
   * How many images a Shipline-managed repository keeps; older ones are deleted, so keep more than
   * the oldest image any environment may still run or roll back to.
   *
   * @default 500
   */
  readonly maxImageCount?: number;
  /** The Helm release used to push the chart. @default - `DEFAULT_HELM_VERSION` of buildspec.ts */
  readonly helmVersion?: string;
}

/**
 * One app's build on AWS: its ECR repository (created when the configuration names a bare
 * repository, which Shipline manages: immutable tags, scan on push, a lifecycle policy), the same for
 * its Helm chart when it has one, and its CodeBuild project, which runs the buildspec generated from
 * the app's build contract and may push to those repositories only. The project gets the source
 * the way `appBuildSourceOf` says: cloned by CodeBuild (CodeCommit, the account's credential, or the
 * app's CodeConnections connection, which the project may then use), or fetched by the buildspec
 * (the project may then read the token secret of `source.credentials`). An app whose source is a
 * `local:` repository gets its repositories but no project, with a warning: only the local runtime
 * can build it. An app with `build: external` gets its repositories and no project: its own CI
 * builds and pushes its images.
 *
 * @example
 * ```ts
 * const build = new AppBuild(this, "shop", { app: config.apps[0] });
 * build.project?.grant(startBuild.role, "codebuild:StartBuild");
 * ```
 */
export class AppBuild extends Construct {
  /** The repository the image is pushed to. */
  readonly imageRepository: ecr.IRepository;
  /** The repository the Helm chart is pushed to, for an app with a chart. */
  readonly chartRepository: ecr.IRepository | undefined;
  /** The CodeBuild project; absent for an app with `build: external` or a `local:` source repository. */
  readonly project: codebuild.Project | undefined;
  /** The project's name, known at synthesis (start-build's `BUILD_PROJECTS` lists it). */
  readonly projectName: string | undefined;
  /** The app's CodeCommit repository, when its source is one. */
  readonly sourceRepository: codecommit.IRepository | undefined;
  readonly #app: AppConfig;
  readonly #secrets = new Map<string, secretsmanager.ISecret>();

  constructor(scope: Construct, id: string, props: AppBuildProps) {
    super(scope, id);
    const { app } = props;
    this.#app = app;
    checkProps(this, props);
    const repositoryProps = {
      untaggedImageExpiry: props.untaggedImageExpiry ?? Duration.days(7),
      maxImageCount: props.maxImageCount ?? 500,
    };
    this.imageRepository = repositoryOf(this, "ImageRepository", app, app.image.repository, repositoryProps);
    this.chartRepository = app.chart
      ? repositoryOf(this, "ChartRepository", app, app.chart.repository, repositoryProps)
      : undefined;
    if (!isManagedBuild(app.build)) {
      // Its own CI builds and pushes the image: the repositories stay (the CI pushes there), no
      // project, and no CodeBuild source to settle; a CodeCommit repository is still imported, since
      // the acceptance policy reads its history.
      const codeCommit = managedBuildSourceOf(app.source).kind === "codecommit";
      const found = codeCommit ? appBuildSourceOf(this, { app: app.name, source: app.source }) : undefined;
      this.sourceRepository = found?.kind === "codebuild" ? found.repository : undefined;
      this.project = undefined;
      this.projectName = undefined;
      return;
    }
    const found = appBuildSourceOf(this, { app: app.name, source: app.source });
    this.sourceRepository = found.kind === "codebuild" ? found.repository : undefined;
    if (found.kind === "local") {
      Annotations.of(this).addWarningV2(
        "shipline:local-source",
        `app '${app.name}' builds from local:${found.name}, a repository of the local runtime: no CodeBuild project is created, so its pushes are not built on AWS. Set source.repo to the repository's https URL to build it here.`,
      );
      this.project = undefined;
      this.projectName = undefined;
      return;
    }
    const arm = props.architecture === "arm64";
    const environmentVariables: Record<string, codebuild.BuildEnvironmentVariable> = {
      [BuildVariable.App]: { value: app.name },
      [BuildVariable.ImageRepositoryUri]: { value: this.imageRepository.repositoryUri },
      ...(this.chartRepository
        ? { [ProjectVariable.ChartRepositoryUri]: { value: this.chartRepository.repositoryUri } }
        : {}),
    };
    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    });
    // The name is settled here so that the policy acknowledgements below can name its resources.
    const projectName = Names.uniqueResourceName(this, { maxLength: 150, separator: "-" });
    this.projectName = projectName;
    this.project = new codebuild.Project(this, "Project", {
      projectName,
      description: `Shipline: builds, tests and pushes the image of app ${app.name}`,
      ...(found.kind === "codebuild" ? { source: found.source } : {}),
      buildSpec: codebuild.BuildSpec.fromObjectToYaml({
        ...renderBuildspec(app, {
          architecture: props.architecture ?? "x86_64",
          ...(props.helmVersion === undefined ? {} : { helmVersion: props.helmVersion }),
        }),
      }),
      environment: {
        buildImage: arm
          ? codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0
          : codebuild.LinuxBuildImage.AMAZON_LINUX_2023_5,
        computeType: codebuild.ComputeType.SMALL,
        privileged: true,
      },
      environmentVariables,
      encryptionKey:
        props.encryptionKey ??
        new kms.Key(this, "Key", {
          enableKeyRotation: true,
          description: `Encrypts the build output of Shipline app ${app.name}`,
        }),
      logging: { cloudWatch: { logGroup } },
      timeout: props.timeout ?? Duration.hours(1),
    });
    this.imageRepository.grantPullPush(this.project);
    this.chartRepository?.grantPullPush(this.project);
    if (found.kind === "fetch" && found.token !== undefined) {
      this.#secretOf("SourceToken", found.token.secret).grantRead(this.project);
    }
    acknowledgeProjectFindings(this.project);
  }

  /**
   * Lets `grantee` (the webhook's role) read what changed between two commits of the app's CodeCommit
   * repository (`codecommit:GetDifferences`); nothing for another source.
   *
   * @example
   * ```ts
   * for (const build of builds.values()) build.grantDifferencesRead(webhook.step.role);
   * ```
   */
  grantDifferencesRead(grantee: iam.IRole): void {
    this.sourceRepository?.grant(grantee, "codecommit:GetDifferences");
  }

  /**
   * Lets `grantee` (start-build's role) fetch the app's repository to compare two commits: whatever
   * `source.credentials` needs for a private repository (its secret, or an STS web identity token
   * for its broker). A CodeCommit repository's differences are read by the webhook instead (see
   * {@link grantDifferencesRead}).
   *
   * @example
   * ```ts
   * for (const build of builds.values()) build.grantSourceRead(startBuild.role);
   * ```
   */
  grantSourceRead(grantee: iam.IRole): void {
    const credentials = this.#app.source.credentials;
    switch (credentials?.provider) {
      case undefined:
      case "codecommit":
        return;
      case "token":
        this.#secretOf("SourceToken", credentials.secretName).grantRead(grantee);
        return;
      case "github-app":
        this.#secretOf("SourceAppKey", credentials.privateKeySecret).grantRead(grantee);
        return;
      case "oidc-exchange":
        grantee.addToPrincipalPolicy(
          new iam.PolicyStatement({
            // Outbound identity federation: not yet a CDK grant, so the statement is written out.
            actions: ["sts:GetWebIdentityToken"],
            resources: ["*"],
            conditions: {
              "ForAllValues:StringEquals": { "sts:IdentityTokenAudience": [credentials.audience] },
              NumericLessThanEquals: { "sts:DurationSeconds": credentials.tokenLifetimeSeconds },
              StringEquals: { "sts:SigningAlgorithm": "RS256" },
            },
          }),
        );
        Validations.of(grantee).acknowledge({
          id: "AwsSolutions-IAM5[Resource::*]",
          reason:
            "sts:GetWebIdentityToken has no resource type (the token is for the caller itself), so IAM grants it on '*'; the statement is narrowed to the broker's audience, the configured lifetime and RS256.",
        });
    }
  }

  /**
   * Lets `grantee` (promote's role) read the app repository's history for its no-downgrade check:
   * what {@link grantSourceRead} and {@link grantDifferencesRead} grant, and `codecommit:GitPull` on a
   * CodeCommit repository.
   *
   * @example
   * ```ts
   * for (const build of builds.values()) build.grantHistoryRead(promote.step.role);
   * ```
   */
  grantHistoryRead(grantee: iam.IRole): void {
    this.sourceRepository?.grantPull(grantee);
    this.grantDifferencesRead(grantee);
    this.grantSourceRead(grantee);
  }

  /** A secret the configuration names, by name or ARN, imported once. */
  #secretOf(id: string, nameOrArn: string): secretsmanager.ISecret {
    const known = this.#secrets.get(id);
    if (known !== undefined) return known;
    const secret = !nameOrArn.startsWith("arn:")
      ? secretsmanager.Secret.fromSecretNameV2(this, id, nameOrArn)
      : /-[A-Za-z0-9]{6}$/.test(nameOrArn)
        ? secretsmanager.Secret.fromSecretCompleteArn(this, id, nameOrArn)
        : secretsmanager.Secret.fromSecretPartialArn(this, id, nameOrArn);
    this.#secrets.set(id, secret);
    return secret;
  }
}

interface RepositoryProps {
  readonly untaggedImageExpiry: Duration;
  readonly maxImageCount: number;
}

/** A Shipline-managed repository for a bare name; the existing repository for an ECR reference. */
function repositoryOf(
  scope: Construct,
  id: string,
  app: AppConfig,
  reference: string,
  props: RepositoryProps,
): ecr.IRepository {
  const { registry, name } = splitImageRepository(reference);
  if (registry === undefined) {
    const repository = new ecr.Repository(scope, id, {
      repositoryName: name,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.AES_256,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    repository.addLifecycleRule({
      description: `Delete untagged images after ${props.untaggedImageExpiry.toDays()} days`,
      tagStatus: ecr.TagStatus.UNTAGGED,
      maxImageAge: props.untaggedImageExpiry,
    });
    repository.addLifecycleRule({
      description: `Keep the newest ${props.maxImageCount} images`,
      tagStatus: ecr.TagStatus.ANY,
      maxImageCount: props.maxImageCount,
    });
    return repository;
  }
  const host = ECR_HOST.exec(registry);
  if (!host?.[1] || !host[2]) {
    throw new ShiplineError({
      code: "APP_REGISTRY_UNSUPPORTED",
      message: `app '${app.name}': repository '${reference}' is not in ECR, and a CodeBuild project can only push to ECR with its own role; write a bare name (e.g. ${name}) for a repository Shipline manages, or an ECR repository <account>.dkr.ecr.<region>.amazonaws.com/${name}`,
      data: { app: app.name, repository: reference },
      retryable: false,
    });
  }
  const stack = Stack.of(scope);
  return ecr.Repository.fromRepositoryAttributes(scope, id, {
    repositoryName: name,
    repositoryArn: `arn:${stack.partition}:ecr:${host[2]}:${host[1]}:repository/${name}`,
  });
}

function acknowledgeProjectFindings(project: codebuild.Project): void {
  const validations = Validations.of(project);
  validations.acknowledge({
    id: "AwsSolutions-CB3",
    reason:
      "Privileged mode runs the Docker daemon that builds the app's image from its Dockerfile; the build has no other way to produce an image.",
  });
  validations.acknowledge({
    id: "AwsSolutions-IAM5[Resource::*]",
    reason:
      "ecr:GetAuthorizationToken, needed for docker login to ECR, is only granted on every resource ('*').",
  });
  acknowledgeCodeBuildDefaults(project);
}

function checkProps(scope: Construct, props: AppBuildProps): void {
  const problems: string[] = [];
  const expiry = props.untaggedImageExpiry;
  if (expiry !== undefined) {
    const days = expiry.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 1) {
      problems.push(
        `untaggedImageExpiry is ${expiry.toHumanString()}; ECR counts whole days, so use Duration.days(n) with n of at least 1`,
      );
    }
  }
  const count = props.maxImageCount;
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    problems.push(`maxImageCount is ${count}; give a whole number of at least 1`);
  }
  if (problems.length === 0) return;
  throw new ShiplineError({
    code: "CONSTRUCT_PROPS_INVALID",
    message: `${scope.node.path}: ${problems.join("; ")}`,
    data: { construct: scope.node.path, problems },
  });
}
