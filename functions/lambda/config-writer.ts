// The config writer's Lambda entry (step 7): everything is created once per cold start, and the
// bare clone of the config repository stays in /tmp between warm invocations.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fifoId } from "../adapters/aws/sqs-write-queue.js";
import { pullRequestHostFor } from "../adapters/git/pull-request-host-for.js";
import { writeIntentGroupId } from "../core/writer/write-intent.js";
import { makeConfigWriterHandler } from "../handlers/config-writer.js";
import { readConfiguredStepEnvironment } from "../handlers/dispatch-sync-environment.js";
import { createStepDeps } from "../handlers/shared/create-step-deps.js";
import { configRepositoryOf } from "./config-repository-of.js";

const { step, config } = readConfiguredStepEnvironment({
  bundleDir: path.dirname(fileURLToPath(import.meta.url)),
});
const deps = createStepDeps({ step: "config-writer", environment: step });
const { configRepo } = config;

const { repository, credentials } = configRepositoryOf({ config, deps, purpose: "writer" });
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
