// The build-status Lambda entry (step 3): everything is created once per cold start.
import { makeBuildStatusHandler } from "../handlers/build-status.js";
import { createStepDeps, readEnvironment } from "../handlers/shared/index.js";

/** The build-status handler. */
export const handler = makeBuildStatusHandler(
  createStepDeps({ step: "build-status", environment: readEnvironment() }),
);
