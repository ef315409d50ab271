import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeDispatchSyncHandler } from "../handlers/dispatch-sync.js";
import { readConfiguredStepEnvironment } from "../handlers/dispatch-sync-environment.js";
import { createStepDeps } from "../handlers/shared/create-step-deps.js";

const { step, config } = readConfiguredStepEnvironment({
  bundleDir: path.dirname(fileURLToPath(import.meta.url)),
});

/** The `dispatch-sync` function's handler (step 8). */
export const handler = makeDispatchSyncHandler({
  ...createStepDeps({ step: "dispatch-sync", environment: step }),
  config,
});
