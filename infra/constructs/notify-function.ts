import { Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as events from "aws-cdk-lib/aws-events";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { NotifyEnvName } from "../../functions/core/notify/notify-env-names.js";
import { EnvName } from "../../functions/core/topology/env-names.js";
import type { EventRouting } from "./event-routing.js";
import { StepFunction } from "./step-function.js";
import { grantStoreOperations } from "./store-grants.js";

/** Properties of a {@link NotifyFunction}. */
export interface NotifyFunctionProps {
  /** Shipline's bus, where the step records permanent failures. */
  readonly eventBus: events.IEventBus;
  /** The topology's rules: `notify-on-terminal-event` gets the step's function. */
  readonly routing: EventRouting;
  /**
   * A Secrets Manager secret whose plain value is a Slack incoming-webhook URL. The function may
   * read it and nothing else of Secrets Manager.
   *
   * @default - no Slack channel: notifications go to the SNS topic only
   */
  readonly slackWebhookSecret?: secretsmanager.ISecret;
  /**
   * The key the topic is encrypted with; the function is granted its use.
   *
   * @default - the AWS managed key of SNS (`alias/aws/sns`)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The ledger table: notifications then tell the commit's message, author and the previous tag.
   *
   * @default - notifications name the commit by sha only
   */
  readonly ledgerTable?: dynamodb.ITable;
  /**
   * Argo CD's web UI (https), to link each application.
   *
   * @default - no Argo CD link
   */
  readonly argoCdUrl?: string;
  /**
   * The config repository's https URL, to link config commits.
   *
   * @default - config commits are named, not linked
   */
  readonly configRepoUrl?: string;
  /**
   * The function's code instead of the esbuild bundle of `functions/lambda/notify.ts`.
   *
   * @default - the bundle
   */
  readonly code?: lambda.Code;
}

/**
 * The notify step (step 12): its function, invoked by the topology's `notify-on-terminal-event`
 * rule, publishes to an SNS topic of its own (encrypted, TLS only) and, when given the secret of a
 * Slack incoming webhook, posts there too. The function may publish to the topic, read the secret
 * and the ledger, and put events on Shipline's bus; events it cannot handle land in the step's
 * dead-letter queue. Subscribe people or systems to {@link topic}; they can filter on the `app`,
 * `environment`, `detailType` and `severity` message attributes.
 *
 * @example
 * ```ts
 * const notify = new NotifyFunction(this, "Notify", { eventBus, routing, slackWebhookSecret });
 * notify.topic.addSubscription(new subscriptions.EmailSubscription("team@example.com"));
 * ```
 */
export class NotifyFunction extends Construct {
  /** The step's function. */
  readonly step: StepFunction;
  /** The topic every notification is published to. */
  readonly topic: sns.Topic;
  /** The queue of events the step could not handle. */
  readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: NotifyFunctionProps) {
    super(scope, id);
    checkUrls(this, props);
    this.topic = new sns.Topic(this, "Topic", {
      displayName: "Shipline notifications",
      masterKey: props.encryptionKey ?? kms.Alias.fromAliasName(this, "SnsManagedKey", "alias/aws/sns"),
      enforceSSL: true,
    });
    const environment: Record<string, string> = { [NotifyEnvName.TopicArn]: this.topic.topicArn };
    if (props.slackWebhookSecret !== undefined) {
      environment[NotifyEnvName.SlackWebhookSecretArn] = props.slackWebhookSecret.secretArn;
    }
    if (props.ledgerTable !== undefined) environment[EnvName.LedgerTable] = props.ledgerTable.tableName;
    if (props.argoCdUrl !== undefined) environment[NotifyEnvName.ArgoCdUrl] = props.argoCdUrl;
    if (props.configRepoUrl !== undefined) environment[NotifyEnvName.ConfigRepoUrl] = props.configRepoUrl;
    this.step = new StepFunction(this, "Function", {
      step: "notify",
      description:
        "Shipline: tells Slack and SNS how each journey ended, and which pull requests wait for review",
      eventBus: props.eventBus,
      code: props.code,
      environment,
    });
    this.topic.grantPublish(this.step.role);
    props.slackWebhookSecret?.grantRead(this.step.role);
    // The journey lookup only queries the ledger's partitions.
    if (props.ledgerTable !== undefined) grantStoreOperations(props.ledgerTable, this.step.role, ["query"]);
    this.deadLetterQueue = props.routing.connectStep("notify", this.step.fn);
    this.step.sendFailuresTo(this.deadLetterQueue);
    Validations.of(this.step.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray's xray:PutTraceSegments / xray:PutTelemetryRecords support no resource-level permission, so IAM only grants them on every resource ('*').",
    });
    if (props.encryptionKey === undefined) this.acknowledgeManagedKeyGrant();
  }

  /**
   * With the `@aws-cdk/aws-kms:applyImportedAliasPermissionsToPrincipal` flag, publishing through the
   * imported `alias/aws/sns` is granted on `key/*` of the account, narrowed by a condition to the
   * keys behind that alias.
   */
  private acknowledgeManagedKeyGrant(): void {
    const reason =
      "Publishing to the topic encrypted with SNS's AWS managed key: CDK grants kms:Decrypt and kms:GenerateDataKey* on key/* of the account with the condition kms:ResourceAliases = alias/aws/sns, so only that one key.";
    Validations.of(this.step.role).acknowledge(
      { id: "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]", reason },
      {
        id: "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]",
        reason,
      },
    );
  }
}

function checkUrls(scope: Construct, props: NotifyFunctionProps): void {
  const problems: string[] = [];
  for (const [name, value] of [
    ["argoCdUrl", props.argoCdUrl],
    ["configRepoUrl", props.configRepoUrl],
  ] as const) {
    if (value === undefined) continue;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url === undefined || url.protocol !== "https:") {
      problems.push(`${name} is '${value}'; give an https:// URL (people open it from Slack and e-mail)`);
    }
  }
  if (problems.length === 0) return;
  throw new ShiplineError({
    code: "CONSTRUCT_PROPS_INVALID",
    message: `${scope.node.path}: ${problems.join("; ")}`,
    data: { construct: scope.node.path, problems },
  });
}
