import * as z from "zod";
import type { ArgoCdApplication } from "./argocd-application.js";

/** The API group and version of Argo Rollouts' `Rollout`. */
export const ROLLOUT_GROUP = "argoproj.io";

/** The API version Argo Rollouts serves its `Rollout` at. */
export const ROLLOUT_VERSION = "v1alpha1";

/** One step of `spec.strategy.canary.steps`: each holds one of these keys. */
const canaryStep = z.looseObject({
  setWeight: z.number().int().nullish(),
  pause: z.looseObject({ duration: z.union([z.string(), z.number()]).nullish() }).nullish(),
  analysis: z.looseObject({}).nullish(),
});

/** One step of a canary strategy, as Argo Rollouts reads it. */
export type CanaryStepSpec = z.output<typeof canaryStep>;

const condition = z.looseObject({
  type: z.string(),
  status: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/**
 * The fields of an Argo Rollouts `Rollout` (argoproj.io/v1alpha1) the agent reads, as the
 * Kubernetes API (or Argo CD's managed-resource API, as a JSON string) returns it; every other
 * field is kept but not checked.
 *
 * @example
 * ```ts
 * const rollout = argoRollout.parse(JSON.parse(answer.manifest));
 * rollout.status?.currentStepIndex;
 * ```
 */
export const argoRollout = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z
    .looseObject({
      paused: z.boolean().nullish(),
      strategy: z
        .looseObject({
          canary: z.looseObject({ steps: z.array(canaryStep).nullish() }).nullish(),
          blueGreen: z.looseObject({}).nullish(),
        })
        .nullish(),
    })
    .optional(),
  status: z
    .looseObject({
      phase: z.string().nullish(),
      message: z.string().nullish(),
      abort: z.boolean().nullish(),
      currentStepIndex: z.number().int().nullish(),
      currentPodHash: z.string().nullish(),
      stableRS: z.string().nullish(),
      controllerPause: z.boolean().nullish(),
      pauseConditions: z
        .array(z.looseObject({ reason: z.string(), startTime: z.string().optional() }))
        .nullish(),
      conditions: z.array(condition).nullish(),
      canary: z
        .looseObject({
          weights: z
            .looseObject({
              canary: z.looseObject({ weight: z.number().nullish() }).nullish(),
              stable: z.looseObject({ weight: z.number().nullish() }).nullish(),
            })
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

/** An Argo Rollouts `Rollout`, as far as the agent reads it. */
export type ArgoRollout = z.output<typeof argoRollout>;

/** Where a Rollout an application manages lives. */
export interface RolloutRef {
  readonly name: string;
  readonly namespace?: string;
}

/**
 * The Rollouts an application manages, from its `status.resources` (group `argoproj.io`, kind
 * `Rollout`), which Argo CD's resource tree and the Application's status both list.
 *
 * @example
 * ```ts
 * rolloutsOf(application); // [{ name: "web", namespace: "demo" }]
 * ```
 */
export function rolloutsOf(application: ArgoCdApplication): RolloutRef[] {
  return (application.status?.resources ?? [])
    .filter((resource) => resource.kind === "Rollout" && resource.group === ROLLOUT_GROUP)
    .map((resource) => ({
      name: resource.name,
      ...(resource.namespace ? { namespace: resource.namespace } : {}),
    }));
}
