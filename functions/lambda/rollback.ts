import path from "node:path";
import { fileURLToPath } from "node:url";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SqsWriteQueue } from "../adapters/aws/sqs-write-queue.js";
import { makeRollbackHandler } from "../handlers/rollback.js";
import { readRollbackEnvironment } from "../handlers/rollback-environment.js";
import { createStepDeps } from "../handlers/shared/create-step-deps.js";

const { step, config, writeQueueUrl } = readRollbackEnvironment({
  bundleDir: path.dirname(fileURLToPath(import.meta.url)),
});
const deps = createStepDeps({ step: "rollback", environment: step });

/** The `rollback` function's handler (step 10). */
export const handler = makeRollbackHandler({
  ...deps,
  config,
  writeQueue: new SqsWriteQueue({
    client: deps.tracer.captureAWSv3Client(new SQSClient({})),
    queueUrl: writeQueueUrl,
  }),
});
