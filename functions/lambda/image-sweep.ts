// The entry of image-pushed's scheduled sweep (EventBridge Scheduler): created once per cold start.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECRClient } from "@aws-sdk/client-ecr";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbDocumentStore } from "../adapters/aws/dynamodb-document-store.js";
import { EcrImageRegistry } from "../adapters/aws/ecr-image-registry.js";
import { KNOWN_IMAGES_TABLE } from "../core/images/known-image.js";
import { createImageSweepHandler } from "../handlers/image-sweep.js";
import { readScanGateEnvironment } from "../handlers/scan-gate-environment.js";
import { createStepDeps } from "../handlers/shared/index.js";
import { sourceBranchesFor } from "./source-branches.js";

// The same settings as the scan gate: the step's, the images table and the configuration.
const { step, imagesTable, config } = readScanGateEnvironment({
  bundleDir: path.dirname(fileURLToPath(import.meta.url)),
});
const deps = createStepDeps({ step: "image-pushed", environment: step });
const { tracer } = deps;
const branches = sourceBranchesFor({ config, logger: deps.logger, clock: deps.clock });

/** The sweep's handler. */
export const handler = createImageSweepHandler({
  ...deps,
  apps: config.apps,
  registry: new EcrImageRegistry({ client: tracer.captureAWSv3Client(new ECRClient({})) }),
  store: new DynamoDbDocumentStore({
    client: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
    tables: { [KNOWN_IMAGES_TABLE]: imagesTable },
  }),
  ...(branches === undefined ? {} : { branches }),
});
