import path from "node:path";
import { fileURLToPath } from "node:url";
import { readConfiguredStepEnvironment } from "../handlers/dispatch-sync-environment.js";
import { makeReviewMergedHandler } from "../handlers/review-merged.js";
import { createStepDeps } from "../handlers/shared/create-step-deps.js";
import { configRepositoryOf } from "./config-repository-of.js";

const { step, config } = readConfiguredStepEnvironment({
  bundleDir: path.dirname(fileURLToPath(import.meta.url)),
});

const deps = createStepDeps({ step: "review-merged", environment: step });
const { repository } = configRepositoryOf({ config, deps, purpose: "observer" });

/**
 * The `review-merged` function's handler: merged Shipline pull requests become `Config Committed`;
 * a person's change to a deploy target places a hold and is verified like any other.
 */
export const handler = makeReviewMergedHandler({ ...deps, config, repository });
