import { Duration, Stack, Validations } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sources from "aws-cdk-lib/aws-lambda-event-sources";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { GitCredentialsConfig } from "../../functions/core/config/credentials.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import type { EventRouting } from "./event-routing.js";
import { StepFunction } from "./step-function.js";
import type { StepFunctionConfig } from "./step-function-config.js";

/** Properties of a {@link ConfigWriter}. */
export interface ConfigWriterProps {
  /** Shipline's bus, where the writer publishes `Config Committed` and `Pull Request Opened`. */
  readonly eventBus: events.IEventBus;
  /** The configuration: its `configRepo` (URL, credentials provider) decides the writer's permissions. */
  readonly config: StepFunctionConfig;
  /**
   * The rules of the topology. When an environment has `approval: pull-request`, the
   * `review-merged` function is created and connected to its rule, so merged pull requests deploy.
   *
   * @default - no review-merged function
   */
  readonly routing?: EventRouting;
  /**
   * The function's code instead of the esbuild bundle of `functions/lambda/config-writer.ts`.
   *
   * @default - the bundle
   */
  readonly code?: lambda.Code;
  /**
   * How long one batch may take: fetch, edit, commit and push, with its retries on rejected pushes.
   * The queue hides a received batch for six times this long, as Lambda advises for SQS sources.
   *
   * @default Duration.minutes(2)
   */
  readonly timeout?: Duration;
  /**
   * How many times a write intent is received before it moves to the dead-letter queue.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/** Lambda's advice for SQS event sources: a visibility timeout of at least six times the function's. */
const VISIBILITY_FACTOR = 6;

/**
 * The config writer (step 7) for one config repository: its FIFO queue of write intents with a
 * FIFO dead-letter queue, and its function, fed by the queue, allowed to publish on Shipline's bus
 * and to get the credentials `configRepo.credentials` names (`sts:GetWebIdentityToken` for
 * `oidc-exchange`, reading the App key or token secret for `github-app` and `token`,
 * `codecommit:GitPull` / `codecommit:GitPush` on the one repository for `codecommit`).
 *
 * Producers (promote, rollback) send each intent with `MessageGroupId` =
 * `writeIntentGroupId(repository, branch)` and `MessageDeduplicationId` = the intent id: content
 * based deduplication is off, so a re-sent intent is dropped by its id, not by its bytes.
 *
 * @example
 * ```ts
 * const writer = new ConfigWriter(this, "ConfigWriter", { eventBus, config });
 * new PromoteFunction(this, "Promote", { eventBus, routing, writerQueue: writer.queue, config });
 * ```
 */
export class ConfigWriter extends Construct {
  /** The FIFO queue of write intents. */
  readonly queue: sqs.Queue;
  /** Where an intent goes after `maxReceiveCount` failed receipts. */
  readonly deadLetterQueue: sqs.Queue;
  /** The writer's function. */
  readonly step: StepFunction;
  /**
   * The function that reads every push to the config branch (when `routing` is given): merged
   * Shipline pull requests and a person's changes to deploy targets become `Config Committed`, a
   * person's change also a hold. It reads the repository with the writer's credentials.
   */
  readonly reviewMerged?: StepFunction;

  private readonly secrets = new Map<string, secretsmanager.ISecret>();

  constructor(scope: Construct, id: string, props: ConfigWriterProps) {
    super(scope, id);
    const { configRepo } = props.config.config;
    const timeout = props.timeout ?? Duration.minutes(2);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    this.checkProps(configRepo.url, configRepo.credentials, maxReceiveCount);

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      fifo: true,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    this.queue = new sqs.Queue(this, "Queue", {
      fifo: true,
      // The deduplication id is the intent id, set by the producer; two intents with equal bodies are still two.
      contentBasedDeduplication: false,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * VISIBILITY_FACTOR),
      retentionPeriod: Duration.days(4),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    this.step = new StepFunction(this, "Function", {
      step: "config-writer",
      description:
        "Shipline: commits write intents to the config repository (Config Committed / Pull Request Opened)",
      eventBus: props.eventBus,
      code: props.code,
      config: props.config,
      timeout,
      memorySize: 1024,
      // No reserved concurrency. The FIFO queue already gives one writer per branch: every intent
      // for a repository's branch carries the same message group (repository#branch), and Lambda's
      // FIFO poller hands a group's messages to one invocation at a time, in order, never the next
      // batch of that group before the current one is done (deleted, or failed back to the queue).
      // Concurrency therefore grows only with the number of groups, which is one per config repo
      // and branch: reserving capacity would add nothing to the ordering guarantee, and a reserve
      // of 1 would make one branch's slow push hold up every other group.
    });
    this.step.fn.addEventSource(
      new sources.SqsEventSource(this.queue, {
        // FIFO queues take at most 10 per batch: one commit for up to 10 intents of a branch.
        batchSize: 10,
        // The writer reports the intents it could not carry out (and, to keep the order, those
        // after them in their group); the others are deleted.
        reportBatchItemFailures: true,
        // No maxBatchingWindow: Lambda does not support a batching window on FIFO queues (the
        // mapping is refused). Intents that arrive together still share a batch, since the poller
        // takes up to 10 waiting messages of a group at once.
      }),
    );
    this.grantCredentials(this.step.role, configRepo.url, configRepo.credentials);

    if (props.routing !== undefined) {
      // Every config push is read: merged Shipline pull requests deploy, and a person's change to a
      // deploy target places a hold (DESIGN §7). Reading the repository needs the writer's credentials.
      this.reviewMerged = new StepFunction(this, "ReviewMerged", {
        step: "review-merged",
        description:
          "Shipline: reads config pushes: merged pull requests and a person's changes become Config Committed (and holds)",
        eventBus: props.eventBus,
        code: props.code,
        config: props.config,
        timeout: Duration.minutes(1),
        memorySize: 1024,
      });
      this.grantCredentials(this.reviewMerged.role, configRepo.url, configRepo.credentials);
      this.reviewMerged.sendFailuresTo(props.routing.connectStep("review-merged", this.reviewMerged.fn));
    }
  }

  /** Lets the function obtain git credentials the way `configRepo.credentials` says. */
  private grantCredentials(role: iam.IRole, url: string, credentials: GitCredentialsConfig): void {
    switch (credentials.provider) {
      case "oidc-exchange":
        role.addToPrincipalPolicy(
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
        Validations.of(role).acknowledge({
          id: "AwsSolutions-IAM5[Resource::*]",
          reason:
            "sts:GetWebIdentityToken has no resource type (the token is for the caller itself), so IAM grants it on '*'; the statement is narrowed to the broker's audience, the configured lifetime and RS256. X-Ray's actions also support no resource.",
        });
        return;
      case "github-app":
        this.secretOf("GitHubAppKey", credentials.privateKeySecret).grantRead(role);
        return;
      case "token":
        this.secretOf("GitToken", credentials.secretName).grantRead(role);
        return;
      case "codecommit": {
        const stack = Stack.of(this);
        const parsed = new URL(url);
        const name = parsed.pathname.replace(/^\/v1\/repos\//, "");
        const region =
          /^git-codecommit(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(parsed.host)?.[1] ??
          credentials.region ??
          stack.region;
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ["codecommit:GitPull", "codecommit:GitPush"],
            resources: [stack.formatArn({ service: "codecommit", region, resource: name })],
          }),
        );
      }
    }
  }

  /** A secret named by the configuration, by name or ARN. */
  private secretOf(id: string, nameOrArn: string): secretsmanager.ISecret {
    // The writer and review-merged both read it: one imported secret serves both grants.
    const known = this.secrets.get(id);
    if (known !== undefined) return known;
    const secret = !nameOrArn.startsWith("arn:")
      ? secretsmanager.Secret.fromSecretNameV2(this, id, nameOrArn)
      : /-[A-Za-z0-9]{6}$/.test(nameOrArn)
        ? secretsmanager.Secret.fromSecretCompleteArn(this, id, nameOrArn)
        : secretsmanager.Secret.fromSecretPartialArn(this, id, nameOrArn);
    this.secrets.set(id, secret);
    return secret;
  }

  private checkProps(url: string, credentials: GitCredentialsConfig, maxReceiveCount: number): void {
    const problems: string[] = [];
    if (url.startsWith("local:")) {
      problems.push(
        `configRepo.url is '${url}', a repository of the local runtime; write the repository's https URL`,
      );
    }
    if (credentials.provider === "oidc-exchange" && credentials.exchangeUrl.startsWith("local:")) {
      problems.push(
        `configRepo.credentials.exchangeUrl is '${credentials.exchangeUrl}', the local runtime's exchange; write the broker's https URL`,
      );
    }
    if (credentials.provider === "codecommit" && !/^https:\/\/[^/]+\/v1\/repos\/[^/]+$/.test(url)) {
      problems.push(
        `configRepo.url '${url}' is not a CodeCommit repository; write https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>`,
      );
    }
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      problems.push(`maxReceiveCount is ${maxReceiveCount}; give a whole number from 1 to 1000`);
    }
    if (problems.length === 0) return;
    throw new ShiplineError({
      code: "CONSTRUCT_PROPS_INVALID",
      message: `${this.node.path}: ${problems.join("; ")}`,
      data: { construct: this.node.path, problems },
    });
  }
}
