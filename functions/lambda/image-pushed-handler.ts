// The image-pushed handler as its two Lambda entries build it (see image-pushed.ts and
// image-pushed-branches.ts): everything is created once per cold start.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECRClient } from "@aws-sdk/client-ecr";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbDocumentStore } from "../adapters/aws/dynamodb-document-store.js";
import { EcrImageRegistry } from "../adapters/aws/ecr-image-registry.js";
import { EventBridgeScanTimeoutScheduler } from "../adapters/aws/scan-timeout-scheduler.js";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { KNOWN_IMAGES_TABLE } from "../core/images/known-image.js";
import type { Clock } from "../core/ports/clock.js";
import type { SourceBranches } from "../core/ports/source-branches.js";
import { createImagePushedHandler } from "../handlers/image-pushed.js";
import { readScanGateEnvironment } from "../handlers/scan-gate-environment.js";
import { readScanTimeoutEnvironment } from "../handlers/scan-timeout-environment.js";
import { createStepDeps } from "../handlers/shared/index.js";
import { harborSites } from "./harbor-sites.js";
import { ociRegistries } from "./oci-registries.js";

/** Makes the reader of app repositories' branches for `accept.branches` (see `sourceBranchesFor`). */
export type SourceBranchesFor = (options: {
  readonly config: Pick<ShiplineConfig, "apps">;
  readonly logger: Pick<Logger, "warn">;
  readonly clock: Clock;
}) => SourceBranches | undefined;

/**
 * The image-pushed handler, with the branch reader `branchesFor` makes when one is given. Without
 * one, an app whose `accept.branches` names branches has every image refused (its branch cannot be
 * proven): the stack deploys the entry with the reader for such a configuration.
 *
 * @example
 * ```ts
 * export const handler = imagePushedHandler(sourceBranchesFor);
 * ```
 */
export function imagePushedHandler(branchesFor?: SourceBranchesFor) {
  // The same settings as the scan gate: the step's, the images table and the configuration.
  const { step, imagesTable, config } = readScanGateEnvironment({
    bundleDir: path.dirname(fileURLToPath(import.meta.url)),
  });
  const deps = createStepDeps({ step: "image-pushed", environment: step });
  const { tracer } = deps;
  const branches = branchesFor?.({ config, logger: deps.logger, clock: deps.clock });
  const timeouts = readScanTimeoutEnvironment();
  const harbor = harborSites({ config, capture: (client) => tracer.captureAWSv3Client(client) });
  const oci = ociRegistries({ config, capture: (client) => tracer.captureAWSv3Client(client) });
  return createImagePushedHandler({
    ...deps,
    apps: config.apps,
    registry: new EcrImageRegistry({ client: tracer.captureAWSv3Client(new ECRClient({})) }),
    store: new DynamoDbDocumentStore({
      client: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
      tables: { [KNOWN_IMAGES_TABLE]: imagesTable },
    }),
    ...(branches === undefined ? {} : { branches }),
    ...(harbor.size === 0 ? {} : { harbor: (host: string) => harbor.get(host.toLowerCase()) }),
    ...(oci.size === 0 ? {} : { registries: (host: string) => siteOf(oci.get(host.toLowerCase())) }),
    ...(timeouts
      ? {
          scanTimeouts: {
            scheduler: new EventBridgeScanTimeoutScheduler({
              client: tracer.captureAWSv3Client(new SchedulerClient({})),
              ...timeouts,
            }),
            policy: config.scanPolicy,
          },
        }
      : {}),
  });
}

function siteOf(site: ReturnType<ReturnType<typeof ociRegistries>["get"]>) {
  return site === undefined ? undefined : { apps: site.apps, registry: site.client };
}
