// The notify function's Lambda entry (step 12): everything is created once per cold start.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbDocumentStore } from "../adapters/aws/dynamodb-document-store.js";
import { SecretsManagerSecretSource } from "../adapters/aws/secret-source.js";
import { SnsNotifier } from "../adapters/aws/sns-notifier.js";
import { SlackWebhookNotifier } from "../adapters/http/slack-webhook-notifier.js";
import { LEDGER_TABLE } from "../core/ledger/ledger-keys.js";
import { LedgerJourneyLookup } from "../core/notify/ledger-journey-lookup.js";
import type { Notifier } from "../core/notify/notification.js";
import { makeNotifyHandler } from "../handlers/notify.js";
import { readNotifyEnvironment } from "../handlers/notify-environment.js";
import { createStepDeps } from "../handlers/shared/create-step-deps.js";

const environment = readNotifyEnvironment();
const deps = createStepDeps({ step: "notify", environment: environment.step });
const { tracer } = deps;

const notifiers: Notifier[] = [];
if (environment.slackWebhookSecretArn !== undefined) {
  const secret = new SecretsManagerSecretSource({
    client: tracer.captureAWSv3Client(new SecretsManagerClient({})),
    secretId: environment.slackWebhookSecretArn,
  });
  notifiers.push(new SlackWebhookNotifier({ webhookUrl: async () => (await secret.values())[0] ?? "" }));
}
if (environment.topicArn !== undefined) {
  notifiers.push(
    new SnsNotifier({ client: tracer.captureAWSv3Client(new SNSClient({})), topicArn: environment.topicArn }),
  );
}
const ledgerTable = environment.step.ledgerTable;

/** The notify function's handler. */
export const handler = makeNotifyHandler({
  ...deps,
  notifiers,
  ...(ledgerTable === undefined
    ? {}
    : {
        lookup: new LedgerJourneyLookup({
          store: new DynamoDbDocumentStore({
            client: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
            tables: { [LEDGER_TABLE]: ledgerTable },
          }),
        }),
      }),
  links: {
    ...(environment.argoCdUrl === undefined ? {} : { argoCdUrl: environment.argoCdUrl }),
    ...(environment.configRepoUrl === undefined ? {} : { configRepoUrl: environment.configRepoUrl }),
    ...(environment.timelineUrl === undefined ? {} : { timelineUrl: environment.timelineUrl }),
  },
});
