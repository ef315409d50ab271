// The promote step's Lambda entry (step 6): everything is created once per cold start.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbDocumentStore } from "../adapters/aws/dynamodb-document-store.js";
import { createGitCredentialsProvider } from "../adapters/aws/git-credentials/create-git-credentials-provider.js";
import { EventBridgePromotionScheduler } from "../adapters/aws/promotion-scheduler.js";
import { SqsWriteQueue } from "../adapters/aws/sqs-write-queue.js";
import { IsomorphicCommitAncestry } from "../adapters/git/commit-ancestry-isomorphic.js";
import { gitAuthCallback } from "../core/credentials/git-auth-callback.js";
import { sourceCredentialsFor } from "../core/credentials/source-credentials-for.js";
import { KNOWN_IMAGES_TABLE } from "../core/images/known-image.js";
import { PROMOTION_TABLE } from "../core/promotion/promotion-keys.js";
import { createPromoteHandler } from "../handlers/promote.js";
import { readPromoteEnvironment } from "../handlers/promote-environment.js";
import { createStepDeps } from "../handlers/shared/index.js";

const environment = readPromoteEnvironment({ bundleDir: path.dirname(fileURLToPath(import.meta.url)) });
const deps = createStepDeps({ step: "promote", environment: environment.step });
const { tracer } = deps;
const schedulerClient = tracer.captureAWSv3Client(new SchedulerClient({}));
const credentialsOf = sourceCredentialsFor({
  apps: environment.config.apps,
  providerOf: (credentials) =>
    createGitCredentialsProvider({
      config: credentials,
      logger: { warn: (message, fields) => deps.logger.warn(message, { ...fields }) },
      clock: deps.clock,
    }),
});

/** The promote step's handler. */
export const handler = createPromoteHandler({
  ...deps,
  config: environment.config,
  store: new DynamoDbDocumentStore({
    client: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
    // The scan gate's verdicts too: only the gate's own approval deploys.
    tables: { [PROMOTION_TABLE]: environment.promotionTable, [KNOWN_IMAGES_TABLE]: environment.imagesTable },
  }),
  // The Lambda runtime has no git CLI; a private app repository is read with the credentials its
  // app's source.credentials names (the same providers as the writer's).
  ancestry: new IsomorphicCommitAncestry({
    cacheDir: environment.gitCacheDir,
    onAuthFor: (repo) => {
      const provider = credentialsOf(repo);
      return provider === undefined ? undefined : gitAuthCallback(provider, repo);
    },
  }),
  writeQueue: new SqsWriteQueue({
    client: tracer.captureAWSv3Client(new SQSClient({})),
    queueUrl: environment.writeQueueUrl,
  }),
  schedulerFor: (context) =>
    new EventBridgePromotionScheduler({
      client: schedulerClient,
      groupName: environment.scheduleGroup,
      targetArn: context.invokedFunctionArn,
      roleArn: environment.schedulerRoleArn,
      deadLetterArn: environment.schedulerDeadLetterArn,
    }),
});
