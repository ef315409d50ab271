// The webhook's Lambda entry (step 1): everything is created once per cold start. One function
// serves both ways a push arrives: Function URL requests from git hosts, and CodeCommit's
// `Repository State Change` events, which the topology routes to the `webhook` step.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { CodeCommitChangedPaths } from "../adapters/aws/codecommit-changed-paths.js";
import { DynamoDbDocumentStore } from "../adapters/aws/dynamodb-document-store.js";
import { EventBridgeRegistryEventPublisher } from "../adapters/aws/eventbridge-registry-event-publisher.js";
import { SecretsManagerSecretSource } from "../adapters/aws/secret-source.js";
import { IDEMPOTENCY_TABLE } from "../core/build/idempotency-table.js";
import { harborRepositories } from "../core/images/harbor-repositories.js";
import { configuredRepositories } from "../core/webhook/configured-repositories.js";
import { makeCodeCommitPushHandler } from "../handlers/codecommit-push.js";
import { createStepDeps } from "../handlers/shared/index.js";
import { loadStepConfig } from "../handlers/shared/step-config.js";
import { makeWebhookHandler } from "../handlers/webhook.js";
import { readWebhookEnvironment } from "../handlers/webhook-environment.js";
import { ociRegistries } from "./oci-registries.js";

const { step, secretId, changedPathsRepositories, harborSecretId, publishSecretId } =
  readWebhookEnvironment();
const deps = createStepDeps({ step: "webhook", environment: step });
const { tracer } = deps;
const store = new DynamoDbDocumentStore({
  client: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
  tables: { [IDEMPOTENCY_TABLE]: step.idempotencyTable },
});
const secretsManager = tracer.captureAWSv3Client(new SecretsManagerClient({}));
const secrets = new SecretsManagerSecretSource({ client: secretsManager, secretId });
// With the configuration, a push of a repository it does not name is answered 202 and not published.
const config =
  step.config === undefined
    ? undefined
    : loadStepConfig(step.config, path.dirname(fileURLToPath(import.meta.url)));
const registryEvents = new EventBridgeRegistryEventPublisher({
  client: tracer.captureAWSv3Client(new EventBridgeClient({})),
  busName: step.eventBusName,
});
// Images announced from registries of kind oci are resolved there, then published.
const oci =
  config === undefined
    ? new Map()
    : ociRegistries({ config, capture: (client) => tracer.captureAWSv3Client(client) });
const functionUrl = makeWebhookHandler({
  ...deps,
  store,
  secrets,
  ...(config === undefined ? {} : { repositories: configuredRepositories(config) }),
  // Harbor's notifications become Harbor Artifact Pushed / Harbor Scan Completed on the bus.
  ...(config === undefined || harborSecretId === undefined
    ? {}
    : {
        harbor: {
          secrets: new SecretsManagerSecretSource({ client: secretsManager, secretId: harborSecretId }),
          events: registryEvents,
          repositories: harborRepositories(config),
        },
      }),
  ...(oci.size === 0 || publishSecretId === undefined
    ? {}
    : {
        images: {
          secrets: new SecretsManagerSecretSource({ client: secretsManager, secretId: publishSecretId }),
          events: registryEvents,
          registryOf: (host: string) => {
            const site = oci.get(host.toLowerCase());
            return site === undefined ? undefined : { repositories: site.repositories, reader: site.client };
          },
        },
      }),
});
// A CodeCommit push lists no paths: they are read here (GetDifferences) and carried to start-build.
const codeCommit = makeCodeCommitPushHandler({
  ...deps,
  store,
  changedPaths: {
    source: new CodeCommitChangedPaths({ capture: (client) => tracer.captureAWSv3Client(client) }),
    repositories: changedPathsRepositories,
  },
});

/** Function URL requests carry `requestContext.http`; EventBridge events do not. */
function isFunctionUrlRequest(event: unknown): boolean {
  if (typeof event !== "object" || event === null || !("requestContext" in event)) return false;
  const { requestContext } = event;
  return typeof requestContext === "object" && requestContext !== null && "http" in requestContext;
}

/** The webhook's handler: a Function URL request is answered; a CodeCommit event is normalised. */
export const handler = async (event: unknown, context: Context): Promise<unknown> =>
  isFunctionUrlRequest(event) ? functionUrl(event, context) : codeCommit(event, context);
