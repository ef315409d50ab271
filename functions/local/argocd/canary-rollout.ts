import type { CanaryStepSpec } from "../../core/agent/argo-rollout.js";
import { parseDuration } from "../../core/config/duration.js";
import type { Clock } from "../../core/ports/clock.js";
import type { RolloutManifest } from "./rollout-manifest.js";

/** Argo CD's health of a Rollout, as its health check reports it. */
export interface RolloutHealth {
  readonly status: "Healthy" | "Progressing" | "Suspended" | "Degraded";
  readonly message?: string;
}

/**
 * The live state of an Argo Rollouts `Rollout` in the stand-in, as the Rollouts controller would
 * keep it: the phase, the canary step (`currentStepIndex`), the canary's weight, pause conditions,
 * the abort and its message. {@link runCanary} moves it through the steps; a promotion (Argo CD's
 * `promote` action, or the Kubernetes merge patches `kubectl argo rollouts promote` sends) ends a
 * pause; {@link CanaryRollout.render} gives the `Rollout` JSON both APIs return.
 *
 * @example
 * ```ts
 * const rollout = new CanaryRollout({ manifest, revision: 2, clock });
 * response.end(JSON.stringify(rollout.render()));
 * ```
 */
export class CanaryRollout {
  readonly name: string;
  readonly namespace: string;
  readonly steps: readonly CanaryStepSpec[];
  phase: "Progressing" | "Paused" | "Healthy" | "Degraded" = "Progressing";
  message: string | undefined;
  abort = false;
  currentStepIndex = 0;
  weight = 0;
  pauseConditions: { reason: string; startTime: string }[] = [];
  readonly #manifest: RolloutManifest;
  readonly #revision: number;
  readonly #clock: Clock;
  #resume: (() => void) | undefined;
  #cancelled = false;

  constructor(options: {
    readonly manifest: RolloutManifest;
    readonly revision: number;
    readonly clock: Clock;
  }) {
    this.#manifest = options.manifest;
    this.name = options.manifest.name;
    this.namespace = options.manifest.namespace;
    this.steps = options.manifest.manifest.spec?.strategy?.canary?.steps ?? [];
    this.#revision = options.revision;
    this.#clock = options.clock;
  }

  /** The revision number the Rollouts controller gives this update (`rollout.argoproj.io/revision`). */
  get revision(): number {
    return this.#revision;
  }

  /** Argo CD's health of the Rollout: Progressing, Suspended (paused), Degraded (aborted), Healthy. */
  health(): RolloutHealth {
    if (this.phase === "Degraded") return { status: "Degraded", message: this.message ?? "RolloutAborted" };
    if (this.phase === "Paused") return { status: "Suspended", message: "CanaryPauseStep" };
    if (this.phase === "Healthy") return { status: "Healthy" };
    return {
      status: "Progressing",
      message: `more replicas need to be updated (step ${this.currentStepIndex})`,
    };
  }

  /** Every step has run: the new version takes all traffic. */
  complete(): void {
    this.currentStepIndex = this.steps.length;
    this.weight = 100;
    this.phase = "Healthy";
    this.message = undefined;
    this.pauseConditions = [];
  }

  /** Aborts the update, as the controller does when the canary fails: traffic goes back to stable. */
  abortWith(reason: string): void {
    this.abort = true;
    this.weight = 0;
    this.phase = "Degraded";
    this.pauseConditions = [];
    this.message = `RolloutAborted: Rollout aborted update to revision ${this.#revision}: ${reason}`;
  }

  /** Pauses at the current step until {@link promote} or `durationMs` passes. */
  async pause(durationMs: number | undefined, signal: { readonly stale: () => boolean }): Promise<void> {
    this.phase = "Paused";
    this.message = "CanaryPauseStep";
    this.pauseConditions = [{ reason: "CanaryPauseStep", startTime: this.#clock.now().toISOString() }];
    await new Promise<void>((resolve) => {
      const done = () => {
        clearInterval(watch);
        if (timer !== undefined) clearTimeout(timer);
        this.#resume = undefined;
        resolve();
      };
      this.#resume = done;
      const timer = durationMs === undefined ? undefined : setTimeout(done, durationMs);
      // A newer sync takes over: the pause ends without a promotion.
      const watch = setInterval(() => signal.stale() && done(), 100);
    });
    this.phase = "Progressing";
    this.message = undefined;
    this.pauseConditions = [];
  }

  /** Stops the rollout where it stands (the stand-in closes): a pause ends, no further step runs. */
  cancel(): void {
    this.#cancelled = true;
    this.#resume?.();
  }

  /** Whether {@link cancel} was called. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Ends a pause, as `kubectl argo rollouts promote` does. False when it is not paused. */
  promote(): boolean {
    if (this.#resume === undefined) return false;
    this.#resume();
    return true;
  }

  /** The Rollout as the Kubernetes API returns it (and Argo CD's managed-resource API, as a string). */
  render(): Record<string, unknown> {
    const manifest = this.#manifest.manifest;
    const stable = this.phase === "Healthy" ? 100 : 100 - this.weight;
    return {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: {
        ...manifest.metadata,
        name: this.name,
        namespace: this.namespace,
        annotations: { "rollout.argoproj.io/revision": String(this.#revision) },
      },
      spec: { ...manifest.spec, paused: false },
      status: {
        phase: this.phase,
        ...(this.message === undefined ? {} : { message: this.message }),
        ...(this.abort ? { abort: true } : {}),
        currentStepIndex: this.currentStepIndex,
        ...(this.pauseConditions.length === 0
          ? {}
          : { pauseConditions: this.pauseConditions, controllerPause: true }),
        canary: { weights: { canary: { weight: this.weight }, stable: { weight: stable } } },
        conditions: this.#conditions(),
      },
    };
  }

  #conditions(): Record<string, string>[] {
    if (this.abort) {
      return [
        {
          type: "Progressing",
          status: "False",
          reason: "RolloutAborted",
          message: this.message ?? "aborted",
        },
      ];
    }
    if (this.phase === "Paused") {
      return [{ type: "Paused", status: "True", reason: "RolloutPaused", message: "Rollout is paused" }];
    }
    if (this.phase === "Healthy") {
      return [{ type: "Healthy", status: "True", reason: "RolloutHealthy", message: "Rollout is healthy" }];
    }
    return [
      { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: "Rollout is progressing" },
    ];
  }
}

/**
 * Runs a canary's steps as the Rollouts controller would: `setWeight` sends that share of traffic
 * to the new version and holds it for `stepMs`; `pause` with a duration waits that long, without
 * one waits for a promotion; `analysis` checks the new version's health. Before every step the new
 * version's health is checked (`healthy()`): a failure aborts the update with the reason. Answers
 * how it ended: `completed`, `aborted`, or `superseded` when a newer sync took over (`stale()`).
 *
 * @example
 * ```ts
 * const outcome = await runCanary({ rollout, stepMs: 1000, healthy, stale: () => state.operation !== attempt, onChange });
 * ```
 */
export async function runCanary(options: {
  readonly rollout: CanaryRollout;
  /** How long a `setWeight` step holds, and the longest a timed pause waits here. */
  readonly stepMs: number;
  /** Whether the new version answers its health endpoint; a reason when it does not. */
  readonly healthy: () => Promise<string | undefined>;
  readonly stale: () => boolean;
  /** Called after each change, so that the application's health follows the Rollout's. */
  readonly onChange: () => void;
}): Promise<"completed" | "aborted" | "superseded"> {
  const { rollout } = options;
  const stale = () => options.stale() || rollout.cancelled;
  for (let index = 0; index < rollout.steps.length; index++) {
    if (stale()) return "superseded";
    const step = rollout.steps[index];
    rollout.currentStepIndex = index;
    rollout.phase = "Progressing";
    if (typeof step?.setWeight === "number") rollout.weight = step.setWeight;
    options.onChange();
    const failing = await options.healthy();
    if (failing !== undefined) {
      rollout.abortWith(failing);
      options.onChange();
      return "aborted";
    }
    if (typeof step?.setWeight === "number") {
      await sleep(options.stepMs);
    } else if (step?.pause !== undefined && step.pause !== null) {
      const duration = step.pause.duration;
      const seconds =
        duration === undefined || duration === null
          ? undefined
          : typeof duration === "number"
            ? duration
            : /^\d+$/.test(duration)
              ? Number(duration)
              : parseDuration(duration);
      const pausing = rollout.pause(
        seconds === undefined ? undefined : Math.min(seconds * 1000, options.stepMs * 10),
        {
          stale,
        },
      );
      options.onChange();
      await pausing;
      options.onChange();
    } else {
      await sleep(options.stepMs);
    }
  }
  if (stale()) return "superseded";
  rollout.complete();
  options.onChange();
  return "completed";
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
