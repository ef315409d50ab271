import path from "node:path";
import { fileURLToPath } from "node:url";
import { readConfiguredStepEnvironment } from "../handlers/dispatch-sync-environment.js";
import { makeReviewMergedHandler } from "../handlers/review-merged.js";
import { createStepDeps } from "../handlers/shared/create-step-deps.js";

const { step, config } = readConfiguredStepEnvironment({
  bundleDir: path.dirname(fileURLToPath(import.meta.url)),
});

/** The `review-merged` function's handler: merged Shipline pull requests become `Config Committed`. */
export const handler = makeReviewMergedHandler({
  ...createStepDeps({ step: "review-merged", environment: step }),
  config,
});
