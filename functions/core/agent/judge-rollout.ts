import type { ArgoRollout, CanaryStepSpec } from "./argo-rollout.js";

/** What kind of canary step a Rollout is at; `done` once every step has run. */
export type CanaryStepKind = "setWeight" | "pause" | "analysis" | "other" | "done";

/** Where a canary stands: the step index of `total`, its kind, and the canary's traffic weight. */
export interface CanaryPosition {
  /** `status.currentStepIndex` (0-based); equals `total` once every step has run. */
  readonly index: number;
  readonly total: number;
  readonly kind: CanaryStepKind;
  /** The canary's weight in percent: `status.canary.weights.canary.weight`, else the last `setWeight` reached. */
  readonly weight?: number;
}

/** What a Rollout's state says about the deployment that applied it. */
export type RolloutJudgement =
  /** No canary steps (a plain rollout, or blue-green): Argo CD's health decides alone. */
  | { readonly state: "plain" }
  /** Every step ran and the Rollout is Healthy (`phase: Healthy`, or past the last step and not paused). */
  | { readonly state: "completed"; readonly position: CanaryPosition }
  /** A step runs (weight being set, an analysis, a timed pause counting down). */
  | { readonly state: "progressing"; readonly position: CanaryPosition }
  /**
   * Paused: `awaitsPromotion` when only a promotion moves it on (a `pause: {}` step, a user pause);
   * false for a timed pause, which ends by itself.
   */
  | {
      readonly state: "paused";
      readonly position: CanaryPosition;
      readonly awaitsPromotion: boolean;
      readonly reason: string;
    }
  /** Aborted (`status.abort`, RolloutAborted) or Degraded: the deployment fails with `reason`. */
  | {
      readonly state: "failed";
      readonly aborted: boolean;
      readonly reason: string;
      readonly position?: CanaryPosition;
    };

/**
 * Judges an Argo Rollouts `Rollout` as Argo CD's health check for it does (Progressing while steps
 * run, Suspended when paused, Degraded when aborted or invalid, Healthy when complete), keeping
 * what the agent needs beyond the health: the canary step it is at, whether a pause waits for a
 * promotion, and the Rollout's own message when it failed.
 *
 * @example
 * ```ts
 * const judgement = judgeRollout(rollout);
 * if (judgement.state === "failed") await fail(`the Rollout was aborted: ${judgement.reason}`);
 * ```
 */
export function judgeRollout(rollout: ArgoRollout): RolloutJudgement {
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  const status = rollout.status ?? undefined;
  const position = steps.length === 0 ? undefined : positionOf(rollout, steps);
  const conditions = status?.conditions ?? [];
  const abortedCondition = conditions.find((condition) => condition.reason === "RolloutAborted");
  const invalid = conditions.find((condition) => condition.type === "InvalidSpec");
  if (status?.abort === true || abortedCondition !== undefined) {
    const reason = status?.message || abortedCondition?.message || "the Rollout was aborted";
    return { state: "failed", aborted: true, reason, ...(position === undefined ? {} : { position }) };
  }
  if (status?.phase === "Degraded" || invalid !== undefined) {
    const reason = status?.message || invalid?.message || "the Rollout is Degraded";
    return { state: "failed", aborted: false, reason, ...(position === undefined ? {} : { position }) };
  }
  if (position === undefined) return { state: "plain" };
  const pauses = status?.pauseConditions ?? [];
  const paused = status?.phase === "Paused" || pauses.length > 0 || rollout.spec?.paused === true;
  if (paused) {
    const step = steps[position.index];
    const timed = step?.pause?.duration !== undefined && step.pause.duration !== null;
    const userPause = rollout.spec?.paused === true && pauses.length === 0;
    return {
      state: "paused",
      position,
      awaitsPromotion: userPause || !timed,
      reason: pauses[0]?.reason ?? status?.message ?? "paused",
    };
  }
  if (status?.phase === "Healthy" || position.kind === "done") return { state: "completed", position };
  return { state: "progressing", position };
}

/**
 * The steps of a Rollout before `index` as positions (kind and the weight the spec reaches there),
 * for the steps a poll did not see: the canary passed them between two reads.
 *
 * @example
 * ```ts
 * const passed = stepsBefore(rollout, 2); // positions 0 and 1
 * ```
 */
export function stepsBefore(rollout: ArgoRollout, index: number): CanaryPosition[] {
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  return Array.from({ length: Math.min(Math.max(0, index), steps.length) }, (_, at) => {
    const { weight: _reported, ...position } = positionOf(
      { ...rollout, status: { ...rollout.status, currentStepIndex: at, canary: undefined } },
      steps,
    );
    return { ...position, ...(position.kind === "done" ? {} : specWeight(steps, at)) };
  });
}

function specWeight(steps: readonly CanaryStepSpec[], index: number): { weight?: number } {
  const weight = steps
    .slice(0, index + 1)
    .map((candidate) => candidate.setWeight)
    .filter((value): value is number => typeof value === "number")
    .at(-1);
  return weight === undefined ? {} : { weight };
}

function positionOf(rollout: ArgoRollout, steps: readonly CanaryStepSpec[]): CanaryPosition {
  const total = steps.length;
  const index = Math.min(Math.max(0, rollout.status?.currentStepIndex ?? 0), total);
  const step = steps[index];
  const kind: CanaryStepKind =
    step === undefined
      ? "done"
      : typeof step.setWeight === "number"
        ? "setWeight"
        : step.pause !== undefined && step.pause !== null
          ? "pause"
          : step.analysis !== undefined && step.analysis !== null
            ? "analysis"
            : "other";
  const reported = rollout.status?.canary?.weights?.canary?.weight ?? undefined;
  const reached = steps
    .slice(0, Math.min(index + 1, total))
    .map((candidate) => candidate.setWeight)
    .filter((weight): weight is number => typeof weight === "number")
    .at(-1);
  const weight = reported ?? (kind === "done" ? 100 : reached);
  return { index, total, kind, ...(weight === undefined ? {} : { weight }) };
}
