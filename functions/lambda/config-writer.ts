// The config writer's Lambda entry (step 7): everything is created once per cold start, and the
// bare clone of the config repository stays in /tmp between warm invocations.
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { STSClient } from "@aws-sdk/client-sts";
import { createGitCredentialsProvider } from "../adapters/aws/git-credentials/create-git-credentials-provider.js";
import { fifoId } from "../adapters/aws/sqs-write-queue.js";
import { IsomorphicConfigRepository } from "../adapters/git/isomorphic-config-repository.js";
import { pullRequestHostFor } from "../adapters/git/pull-request-host-for.js";
import { writerCloneDir } from "../adapters/git/writer-clone-dir.js";
import { gitAuthCallback } from "../core/credentials/git-auth-callback.js";
import { writeIntentGroupId } from "../core/writer/write-intent.js";
import { makeConfigWriterHandler } from "../handlers/config-writer.js";
import { readConfiguredStepEnvironment } from "../handlers/dispatch-sync-environment.js";
import { createStepDeps } from "../handlers/shared/create-step-deps.js";

const { step, config } = readConfiguredStepEnvironment({
  bundleDir: path.dirname(fileURLToPath(import.meta.url)),
});
const deps = createStepDeps({ step: "config-writer", environment: step });
const { logger, tracer, clock } = deps;
const { configRepo } = config;

const credentials = createGitCredentialsProvider({
  config: configRepo.credentials,
  pullRequests: config.environments.some((environment) => environment.approval === "pull-request"),
  logger: { warn: (message, fields) => logger.warn(message, { ...fields }) },
  clock,
  sts: tracer.captureAWSv3Client(new STSClient({})),
  secretsManager: tracer.captureAWSv3Client(new SecretsManagerClient({})),
});
const repository = new IsomorphicConfigRepository({
  url: configRepo.url,
  branch: configRepo.branch,
  dir: writerCloneDir(os.tmpdir(), configRepo.url, configRepo.branch),
  credentials: gitAuthCallback(credentials, configRepo.url),
});
// Producers send the group id through `fifoId`, which hashes an id SQS would refuse.
const group = writeIntentGroupId(configRepo.url, configRepo.branch);
const groups = new Set([group, fifoId(group)]);

const pullRequests = pullRequestHostFor({ config: configRepo.pullRequest, credentials });

/** The config writer's handler. */
export const handler = makeConfigWriterHandler({
  ...deps,
  ...(pullRequests === undefined ? {} : { pullRequests }),
  repositoryFor: (groupId) => (groups.has(groupId) ? repository : undefined),
  configRepo,
});
