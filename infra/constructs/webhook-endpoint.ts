import { Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { StepFunction } from "./step-function.js";
import type { StepFunctionConfig } from "./step-function-config.js";
import { grantStoreOperations } from "./store-grants.js";

/** Properties of a {@link WebhookEndpoint}. */
export interface WebhookEndpointProps {
  /** Shipline's bus, where the webhook publishes `Commit Pushed`. */
  readonly eventBus: events.IEventBus;
  /** The table of idempotency records: the deliveries already published. */
  readonly idempotencyTable: dynamodb.ITable;
  /**
   * The configuration, for a webhook that checks pushes against the configured repositories.
   *
   * @default - none
   */
  readonly config?: StepFunctionConfig;
  /**
   * The function's code instead of the esbuild bundle of `functions/lambda/webhook.ts`.
   *
   * @default - the bundle
   */
  readonly code?: lambda.Code;
  /**
   * How many requests may run at once; caps what a flood of requests to the public URL can cost.
   *
   * @default - no reservation
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * The repositories (keys, as `parseRepoRef` gives them) whose CodeCommit pushes the function reads
   * the changed paths of, for `start-build`: those of the apps that filter by path. The function's
   * role must be allowed `codecommit:GetDifferences` on them (`AppBuild.grantDifferencesRead`).
   *
   * @default - none: CodeCommit pushes are published without their paths
   */
  readonly changedPathsRepositories?: readonly string[];
  /**
   * The Harbor webhook secret (see `HarborAccess`): Harbor's notifications are taken, checked against
   * it, and published on the bus. Needs `config`, whose Harbor repositories are the ones published.
   * @default - Harbor's notifications are answered 401
   */
  readonly harborWebhookSecret?: secretsmanager.ISecret;
  /**
   * The publish secret (see `RegistryAccounts`): the "image published" call of CIs is checked
   * against it. @default - such calls are answered 401
   */
  readonly publishSecret?: secretsmanager.ISecret;
}

/**
 * The entry of the chain (step 1): the `webhook` function behind a Lambda Function URL that git
 * hosts send push webhooks to, the webhook secret they sign with (generated into Secrets Manager;
 * copy it into each host's webhook settings), and the idempotency table that drops replayed
 * deliveries. The URL's auth type is `NONE` because git hosts cannot sign requests with SigV4:
 * the function itself verifies every request's HMAC signature (constant time) against the secret
 * before it reads anything else, and answers 401 otherwise.
 *
 * The function may read that secret, read and write that table, and put events on Shipline's bus;
 * `CommitToImage` also lets it read the differences of the CodeCommit repositories it is told to
 * (`changedPathsRepositories`).
 *
 * @example
 * ```ts
 * const webhook = new WebhookEndpoint(this, "Webhook", { eventBus, idempotencyTable: table.table });
 * new CfnOutput(this, "WebhookUrl", { value: webhook.url.url });
 * ```
 */
export class WebhookEndpoint extends Construct {
  /** The webhook step's function. */
  readonly step: StepFunction;
  /** The URL git hosts post to. */
  readonly url: lambda.FunctionUrl;
  /** The webhook secret (its value is never in the template). */
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: WebhookEndpointProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, "Secret", {
      description: "Shipline: the secret git hosts sign push webhooks with (HMAC); copy it into each host",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "A webhook secret is shared with the git hosts, which cannot fetch it: rotating it is a coordinated manual step (put the new value, update each host's webhook), so no rotation Lambda can do it.",
    });
    this.step = new StepFunction(this, "Function", {
      step: "webhook",
      eventBus: props.eventBus,
      code: props.code,
      config: props.config,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        [EnvName.IdempotencyTable]: props.idempotencyTable.tableName,
        [EnvName.WebhookSecretArn]: this.secret.secretArn,
        ...(props.harborWebhookSecret === undefined
          ? {}
          : { [EnvName.HarborWebhookSecretArn]: props.harborWebhookSecret.secretArn }),
        ...(props.publishSecret === undefined
          ? {}
          : { [EnvName.PublishSecretArn]: props.publishSecret.secretArn }),
        ...(props.changedPathsRepositories === undefined || props.changedPathsRepositories.length === 0
          ? {}
          : { [EnvName.ChangedPathsRepositories]: JSON.stringify(props.changedPathsRepositories) }),
      },
    });
    this.secret.grantRead(this.step.role);
    props.harborWebhookSecret?.grantRead(this.step.role);
    props.publishSecret?.grantRead(this.step.role);
    // webhook-push-once: a delivery and a ref update are claimed (put ifAbsent) and read back (get).
    grantStoreOperations(props.idempotencyTable, this.step.role, ["get", "put"]);
    this.url = this.step.fn.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
      invokeMode: lambda.InvokeMode.BUFFERED,
    });
  }
}
