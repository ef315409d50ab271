import type { ArgoRollout, RolloutRef } from "./argo-rollout.js";

/**
 * Port for the Argo Rollouts part of the agent's cluster access: reading a Rollout an Argo CD
 * application manages and promoting it past a paused canary step. Argo CD's API server serves it
 * as managed resources of the application; the Kubernetes API as `rollouts.argoproj.io`.
 *
 * Implementations throw the same ShiplineErrors as {@link ArgoCdApi}: `ARGOCD_UNREACHABLE`,
 * `ARGOCD_UNAUTHORIZED` (retryable), `ARGOCD_REQUEST_REJECTED`, `ARGOCD_RESPONSE_INVALID`
 * (permanent); a Rollout that is not there is `ARGOCD_APPLICATION_NOT_FOUND`.
 *
 * @example
 * ```ts
 * const rollout = await rollouts.getRollout("demo-staging", { name: "demo", namespace: "demo" });
 * if (judgeRollout(rollout).state === "paused") await rollouts.promoteRollout("demo-staging", ref);
 * ```
 */
export interface RolloutsApi {
  /** Reads the live Rollout `ref` of the Argo CD application `application`. */
  getRollout(application: string, ref: RolloutRef): Promise<ArgoRollout>;
  /**
   * Promotes a Rollout paused at a canary step, as `kubectl argo rollouts promote` does: clears
   * `status.pauseConditions`, and `spec.paused` when it is set.
   */
  promoteRollout(application: string, ref: RolloutRef): Promise<void>;
}
