import { Duration, Names, Stack, Token, Validations } from "aws-cdk-lib";
import * as codebuild from "aws-cdk-lib/aws-codebuild";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { LOCAL_HARBOR_URL, type RegistryConfig } from "../../functions/core/config/registries.js";
import { REGISTRY_SOURCE } from "../../functions/core/contracts/registry/registry-image-pushed.js";
import { REGISTRY_SCAN_COMPLETED } from "../../functions/core/contracts/registry/registry-scan-completed.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { registryScanTriggerPattern } from "../../functions/core/topology/registry-event-patterns.js";
import { RETRY_POLICIES } from "../../functions/core/topology/retry-policies.js";
import { acknowledgeCodeBuildDefaults } from "./codebuild-default-findings.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";
import {
  DEFAULT_TRIVY_RELEASE,
  RegistryScanVariable,
  registryScanBuildspec,
  type TrivyRelease,
} from "./registry-scan-buildspec.js";
import { toCdkEventPattern } from "./to-cdk-event-pattern.js";

/** Where the scan job keeps its reports, under the bucket. */
const REPORTS_PREFIX = "scans/";

/** Properties of a {@link RegistryScan}. */
export interface RegistryScanProps {
  /** Shipline's bus: `Image Pushed` starts a scan, `Registry Scan Completed` is put there. */
  readonly eventBus: events.IEventBus;
  /** The configuration's `registries:`; those of kind oci with an https URL are scanned. */
  readonly registries: readonly RegistryConfig[];
  /**
   * The Trivy release the job installs, verified by its SHA-256 before it runs.
   *
   * @default DEFAULT_TRIVY_RELEASE - 0.69.3
   */
  readonly trivy?: TrivyRelease;
  /**
   * How long a report is kept (whole days): the gate reads it within seconds, so this only keeps
   * them for people who look later.
   *
   * @default Duration.days(30)
   */
  readonly reportExpiry?: Duration;
  /** How long a scan may run. @default Duration.minutes(30) */
  readonly timeout?: Duration;
  /** How long the scan logs are kept. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The scan of images of registries with no scanner of their own (kind oci: GHCR, Docker Hub, ...):
 * a CodeBuild project (standard Linux image, not privileged) started by a rule per registry on
 * `Image Pushed` whose `imageUri` names it, with the image in the build's variables (an
 * input transformer; no function in between). It scans with a pinned, checksum-verified Trivy,
 * stores the JSON report in an encrypted bucket of its own (TLS only, reports expire) and puts
 * `Registry Scan Completed` on the bus, for the scan gate (see `registryScanBuildspec`). The
 * project may only write reports, read the registries' accounts, and put events of source
 * `shipline.registry` and that detail type. Created only when a registry is scanned.
 *
 * @example
 * ```ts
 * const scan = RegistryScan.of(this, "RegistryScan", { eventBus, registries: config.registries });
 * scan?.grantReportRead(scanGate.step.role);
 * ```
 */
export class RegistryScan extends Construct {
  /** The bucket of the scan reports. */
  readonly bucket: s3.Bucket;
  /** The scan job. */
  readonly project: codebuild.Project;
  /** The rules that start it, one per scanned registry, on an image pushed there. */
  readonly rules: readonly events.Rule[];
  /** Where the rule puts the scans it could not start. */
  readonly deadLetterQueue: sqs.IQueue;

  /** A {@link RegistryScan} when a registry of kind oci is reachable from AWS, else undefined. */
  static of(scope: Construct, id: string, props: RegistryScanProps): RegistryScan | undefined {
    return props.registries.some(isScannedRegistry) ? new RegistryScan(scope, id, props) : undefined;
  }

  constructor(scope: Construct, id: string, props: RegistryScanProps) {
    super(scope, id);
    const scanned = props.registries.filter(isScannedRegistry);
    checkProps(this, props, scanned);
    const expiry = props.reportExpiry ?? Duration.days(30);

    this.bucket = new s3.Bucket(this, "Reports", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { prefix: REPORTS_PREFIX, expiration: expiry, abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "The scan reports' bucket is written by the scan job and read by the scan gate only, both with roles of this stack, and its reports expire; S3 server access logs would need a log bucket of their own to say what CloudTrail data events already can.",
    });

    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    });
    this.project = new codebuild.Project(this, "Project", {
      projectName: Names.uniqueResourceName(this, { maxLength: 150, separator: "-" }),
      description:
        "Shipline: scans an image of a registry with no scanner of its own and reports Registry Scan Completed",
      buildSpec: codebuild.BuildSpec.fromObjectToYaml(
        registryScanBuildspec(props.trivy ?? DEFAULT_TRIVY_RELEASE),
      ),
      environment: {
        buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
        computeType: codebuild.ComputeType.SMALL,
      },
      environmentVariables: {
        [RegistryScanVariable.EventBus]: { value: props.eventBus.eventBusName },
        [RegistryScanVariable.ReportsBucket]: { value: this.bucket.bucketName },
      },
      encryptionKey: new kms.Key(this, "Key", {
        enableKeyRotation: true,
        description: "Encrypts the output of Shipline's registry scans",
      }),
      logging: { cloudWatch: { logGroup } },
      timeout: props.timeout ?? Duration.minutes(30),
    });
    const role = this.project.role;
    if (role === undefined) {
      throw new ShiplineError({
        code: "CONSTRUCT_PROPS_INVALID",
        message: `${this.node.path}: the scan project has no role to grant to`,
        data: { construct: this.node.path },
      });
    }
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ["s3:PutObject", "s3:AbortMultipartUpload"],
      resourceArns: [this.bucket.arnForObjects(`${REPORTS_PREFIX}*`)],
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["events:PutEvents"],
        resources: [props.eventBus.eventBusArn],
        conditions: {
          StringEquals: { "events:source": REGISTRY_SOURCE, "events:detail-type": REGISTRY_SCAN_COMPLETED },
        },
      }),
    );

    this.deadLetterQueue = new DeadLetterQueue(this, "DeadLetters").queue;
    // One rule per registry: each names its host and, when it has one, its account's secret.
    this.rules = scanned.map((registry, index) => {
      const secret = registry.credentials?.secretName;
      const account =
        secret === undefined
          ? undefined
          : secret.startsWith("arn:")
            ? secretsmanager.Secret.fromSecretCompleteArn(this, `Account${index}`, secret)
            : secretsmanager.Secret.fromSecretNameV2(this, `Account${index}`, secret);
      account?.grantRead(role);
      const rule = new events.Rule(this, `OnImagePushed${index}`, {
        eventBus: props.eventBus,
        description: `Scan an image pushed to ${registry.host}, a registry of kind oci that scans nothing itself`,
        eventPattern: toCdkEventPattern(registryScanTriggerPattern(registry.host)),
      });
      rule.addTarget(
        new targets.CodeBuildProject(this.project, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: RETRY_POLICIES.chainStep.maximumRetryAttempts,
          maxEventAge: Duration.seconds(RETRY_POLICIES.chainStep.maximumEventAgeSeconds),
          event: events.RuleTargetInput.fromObject({
            environmentVariablesOverride: [
              variable(RegistryScanVariable.ImageUri, events.EventField.fromPath("$.detail.imageUri")),
              variable(RegistryScanVariable.Registry, registry.host),
              variable(RegistryScanVariable.Repository, events.EventField.fromPath("$.detail.repository")),
              variable(RegistryScanVariable.Digest, events.EventField.fromPath("$.detail.digest")),
              // The secret as configured (name or complete ARN), as the CLI's --secret-id takes it.
              ...(secret === undefined ? [] : [variable(RegistryScanVariable.RegistrySecret, secret)]),
            ],
          }),
        }),
      );
      return rule;
    });
    acknowledgeFindings(this.project, this.bucket);
  }

  /**
   * Lets a role (the scan gate's) read the reports, and nothing else of the bucket.
   *
   * @example
   * ```ts
   * scan.grantReportRead(scanGate.step.role);
   * ```
   */
  grantReportRead(grantee: iam.IRole): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["s3:GetObject"],
      resourceArns: [this.bucket.arnForObjects(`${REPORTS_PREFIX}*`)],
    });
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.bucket)}.Arn>/${REPORTS_PREFIX}*]`,
      reason:
        "Reports are keyed by registry, repository and digest, known only when an image is scanned: the grant covers the reports' prefix of the scan reports' bucket, and nothing else.",
    });
  }
}

/**
 * Whether {@link RegistryScan} scans a registry's images: one of kind oci that AWS can reach (the
 * local runtime's embedded registry is left out).
 *
 * @example
 * ```ts
 * config.registries.some(isScannedRegistry); // a scan job is deployed
 * ```
 */
export function isScannedRegistry(registry: RegistryConfig): boolean {
  return registry.kind === "oci" && registry.url !== LOCAL_HARBOR_URL && registry.url.startsWith("https://");
}

/** One plaintext variable of a build started by the rule. */
function variable(name: string, value: string) {
  return { name, value, type: "PLAINTEXT" };
}

function logicalIdOf(construct: Construct): string {
  const child = construct.node.defaultChild;
  if (!(child instanceof s3.CfnBucket)) {
    throw new ShiplineError({
      code: "CONSTRUCT_PROPS_INVALID",
      message: `${construct.node.path}: the bucket has no CloudFormation resource to name`,
      data: { construct: construct.node.path },
    });
  }
  return Stack.of(construct).getLogicalId(child);
}

function acknowledgeFindings(project: codebuild.Project, bucket: s3.Bucket): void {
  const validations = Validations.of(project);
  validations.acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${REPORTS_PREFIX}*]`,
    reason:
      "The scan job writes each report under its registry, repository and digest, known only at run time: the grant covers the reports' prefix of the scan reports' bucket, and nothing else.",
  });
  acknowledgeCodeBuildDefaults(project);
}

function checkProps(scope: Construct, props: RegistryScanProps, scanned: readonly RegistryConfig[]): void {
  const problems: string[] = [];
  if (scanned.length === 0) {
    problems.push(
      "registries has no registry of kind oci with an https url; use RegistryScan.of, which creates none then",
    );
  }
  const expiry = props.reportExpiry;
  if (expiry !== undefined) {
    const days = expiry.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 1) {
      problems.push(
        `reportExpiry is ${expiry.toHumanString()}; S3 expires objects after whole days, so use Duration.days(n) with n of at least 1`,
      );
    }
  }
  const trivy = props.trivy;
  if (trivy !== undefined && !/^[0-9a-f]{64}$/.test(trivy.sha256)) {
    problems.push(
      `trivy.sha256 is '${trivy.sha256}'; give the 64 lowercase hex digits the release's checksums file lists for trivy_${trivy.version}_Linux-64bit.tar.gz`,
    );
  }
  if (trivy !== undefined && !/^\d+\.\d+\.\d+$/.test(trivy.version)) {
    problems.push(`trivy.version is '${trivy.version}'; give a release such as 0.69.3 (no leading v)`);
  }
  if (problems.length === 0) return;
  throw new ShiplineError({
    code: "CONSTRUCT_PROPS_INVALID",
    message: `${scope.node.path}: ${problems.join("; ")}`,
    data: { construct: scope.node.path, problems },
  });
}
