// The scan gate's Lambda entry (step 5): everything is created once per cold start.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECRClient } from "@aws-sdk/client-ecr";
import { Inspector2Client } from "@aws-sdk/client-inspector2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbDocumentStore } from "../adapters/aws/dynamodb-document-store.js";
import { EcrScanFindings } from "../adapters/aws/ecr-scan-findings.js";
import { Inspector2Findings } from "../adapters/aws/inspector2-findings.js";
import { S3ScanReportFindings } from "../adapters/aws/s3-scan-report-findings.js";
import { HarborScanFindings } from "../adapters/harbor/harbor-scan-findings.js";
import { KNOWN_IMAGES_TABLE } from "../core/images/known-image.js";
import { createScanGateHandler } from "../handlers/scan-gate.js";
import { readScanGateEnvironment } from "../handlers/scan-gate-environment.js";
import { createStepDeps } from "../handlers/shared/index.js";
import { harborSites } from "./harbor-sites.js";

const { step, imagesTable, config, scanReports } = readScanGateEnvironment({
  bundleDir: path.dirname(fileURLToPath(import.meta.url)),
});
const deps = createStepDeps({ step: "scan-gate", environment: step });
const { tracer } = deps;
const ecr = tracer.captureAWSv3Client(new ECRClient({}));
const harbor = harborSites({ config, capture: (client) => tracer.captureAWSv3Client(client) });

/** The scan gate's handler. */
export const handler = createScanGateHandler({
  ...deps,
  policy: config.scanPolicy,
  store: new DynamoDbDocumentStore({
    client: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
    tables: { [KNOWN_IMAGES_TABLE]: imagesTable },
  }),
  sources: {
    ecr: new EcrScanFindings({ client: ecr }),
    inspector2: new Inspector2Findings({ client: tracer.captureAWSv3Client(new Inspector2Client({})) }),
    ...(harbor.size === 0
      ? {}
      : { harbor: new HarborScanFindings({ clientFor: (host) => harbor.get(host ?? "")?.client }) }),
    ...(scanReports === undefined
      ? {}
      : {
          registry: new S3ScanReportFindings({
            bucketHost: scanReports.bucketHost,
            region: scanReports.region,
            credentials: () => ecr.config.credentials(),
          }),
        }),
  },
});
