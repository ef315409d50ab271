export { type CreateStepDepsOptions, createStepDeps, type StepDeps } from "./create-step-deps.js";
export {
  createStepHandler,
  type StepHandlerOptions,
  type StepInvocation,
  StepMetric,
} from "./create-step-handler.js";
export {
  type ConfigSource,
  type EnvironmentFor,
  type EnvironmentNeed,
  type ReadEnvironmentOptions,
  readEnvironment,
  type StepEnvironment,
} from "./environment.js";
export { rawEventFacts, stepFailedRequest } from "./step-failed-request.js";
export { awsInput, type ShiplineEvent, type StepInput, shiplineInput } from "./step-input.js";
