// The start-build Lambda entry (step 2): everything is created once per cold start.
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { CodeBuildBuildRunner } from "../adapters/aws/codebuild-build-runner.js";
import { DynamoDbDocumentStore } from "../adapters/aws/dynamodb-document-store.js";
import { createStartBuildChangedPaths } from "../adapters/aws/start-build-changed-paths.js";
import { IDEMPOTENCY_TABLE } from "../core/build/idempotency-table.js";
import { createStepDeps } from "../handlers/shared/index.js";
import { makeStartBuildHandler } from "../handlers/start-build.js";
import { readStartBuildEnvironment } from "../handlers/start-build-environment.js";

const { step, buildProjects, imageRegistry, config } = readStartBuildEnvironment({
  bundleDir: path.dirname(fileURLToPath(import.meta.url)),
});
const deps = createStepDeps({ step: "start-build", environment: step });
const { tracer } = deps;

/** The start-build handler. */
export const handler = makeStartBuildHandler({
  ...deps,
  config,
  store: new DynamoDbDocumentStore({
    client: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
    tables: { [IDEMPOTENCY_TABLE]: step.idempotencyTable },
  }),
  runner: new CodeBuildBuildRunner({ client: tracer.captureAWSv3Client(new CodeBuildClient({})) }),
  projectNameOf: (app) => buildProjects[app],
  changedPaths: createStartBuildChangedPaths({
    config,
    workDir: path.join(os.tmpdir(), "shipline-changed-paths"),
    logger: { warn: (message, fields) => deps.logger.warn(message, { ...fields }) },
    clock: deps.clock,
  }),
  ...(imageRegistry === undefined ? {} : { imageRegistry }),
});
