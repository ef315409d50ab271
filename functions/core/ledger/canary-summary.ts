import type { CanaryProgress, CanaryStepRecord } from "../contracts/events/canary-progress.js";

/**
 * One line telling the canary steps of a deployment, in the order the agent saw them, for trace,
 * status and the timeline: each step's weight, pauses (and who ended them), and how it ended.
 *
 * @example
 * ```ts
 * canarySummary(hop.canary); // "canary demo/demo: 25% → paused at 25% (promoted) → 75% → 100% done"
 * ```
 */
export function canarySummary(canary: CanaryProgress): string {
  const steps = canary.steps.map(describe);
  const shown = steps.filter((step, index) => step !== steps[index - 1]);
  const end = canary.aborted === true ? " → aborted" : "";
  return `canary ${canary.rollout}: ${shown.length === 0 ? "no step seen" : shown.join(" → ")}${end}`;
}

function describe(step: CanaryStepRecord): string {
  const weight = step.weight === undefined ? "" : `${step.weight}%`;
  if (step.kind === "done") return `${weight || "100%"} done`;
  if (step.paused === true)
    return `paused at ${weight || `step ${step.index + 1}`}${step.promoted ? " (promoted)" : ""}`;
  if (step.kind === "analysis") return `analysis at ${weight || `step ${step.index + 1}`}`;
  return weight || `step ${step.index + 1}/${step.total}`;
}
