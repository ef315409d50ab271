// The ledger's Lambda entry (step 11): everything is created once per cold start.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbDocumentStore } from "../adapters/aws/dynamodb-document-store.js";
import { LEDGER_TABLE } from "../core/ledger/ledger-keys.js";
import { productionEnvironments } from "../core/ledger/production-environments.js";
import { createLedgerHandler } from "../handlers/ledger.js";
import { readLedgerEnvironment } from "../handlers/ledger-environment.js";
import { createStepDeps } from "../handlers/shared/index.js";

const { step, config } = readLedgerEnvironment({ bundleDir: path.dirname(fileURLToPath(import.meta.url)) });
const deps = createStepDeps({ step: "ledger", environment: step });

/** The ledger's handler. */
export const handler = createLedgerHandler({
  ...deps,
  store: new DynamoDbDocumentStore({
    client: DynamoDBDocumentClient.from(deps.tracer.captureAWSv3Client(new DynamoDBClient({}))),
    tables: { [LEDGER_TABLE]: step.ledgerTable },
  }),
  productionEnvironments: productionEnvironments(config.environments),
});
