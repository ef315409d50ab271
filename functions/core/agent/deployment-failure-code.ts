import { BakeFailure } from "./bake-deployment.js";

/**
 * Why a deployment failed, as `Deployment Failed` carries it in `code` (and the agent counts it in
 * `shipline_deployment_failures_total`): the application went Degraded or its sync failed, a canary
 * was aborted, the deadline passed, or the metric gate was breached or had no answer. An Argo CD
 * error that fails a deployment at once (no such application) keeps its own `ARGOCD_*` code.
 */
export const DeploymentFailureCode = {
  Unhealthy: "DEPLOYMENT_UNHEALTHY",
  CanaryFailed: "CANARY_FAILED",
  DeadlinePassed: "VERIFY_DEADLINE_PASSED",
  MetricCheckBreached: BakeFailure.Breached,
  MetricCheckUnreachable: BakeFailure.Unreachable,
} as const;
