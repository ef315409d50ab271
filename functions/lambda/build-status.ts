// The build-status Lambda entry (step 3): everything is created once per cold start.
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { CodeBuildBuildExports } from "../adapters/aws/codebuild-build-exports.js";
import { DynamoDbDocumentStore } from "../adapters/aws/dynamodb-document-store.js";
import { IDEMPOTENCY_TABLE } from "../core/build/idempotency-table.js";
import { makeBuildStatusHandler } from "../handlers/build-status.js";
import { readChartApps } from "../handlers/build-status-environment.js";
import { createStepDeps, readEnvironment } from "../handlers/shared/index.js";

const environment = readEnvironment({ needs: ["idempotencyTable"] });
const deps = createStepDeps({ step: "build-status", environment });

/** The build-status handler. */
export const handler = makeBuildStatusHandler({
  ...deps,
  store: new DynamoDbDocumentStore({
    client: DynamoDBDocumentClient.from(deps.tracer.captureAWSv3Client(new DynamoDBClient({}))),
    tables: { [IDEMPOTENCY_TABLE]: environment.idempotencyTable },
  }),
  exports: new CodeBuildBuildExports({ client: deps.tracer.captureAWSv3Client(new CodeBuildClient({})) }),
  chartApps: readChartApps(process.env),
});
