import type { CanaryProgress, CanaryStepRecord } from "../contracts/events/canary-progress.js";
import type { SyncRequested } from "../contracts/events/sync-requested.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { Clock } from "../ports/clock.js";
import { type ArgoRollout, type RolloutRef, rolloutsOf } from "./argo-rollout.js";
import type { ArgoCdApplication } from "./argocd-application.js";
import { canaryDeadline } from "./canary-deadline.js";
import { type CanaryPosition, judgeRollout, type RolloutJudgement, stepsBefore } from "./judge-rollout.js";
import type { RolloutsApi } from "./rollouts-api.js";

/** What the Rollouts of an application say on one poll. */
export type CanaryObservation =
  /** No Rollout with canary steps (or the application is not yet at the revision): Argo CD's health decides. */
  | { readonly state: "none" }
  /** A canary step runs or is paused: not verified yet, whatever Argo CD's health says. */
  | { readonly state: "waiting" }
  /** Every canary ran its steps. */
  | { readonly state: "completed" }
  /** A Rollout was aborted or went Degraded: the deployment fails with `reason`. */
  | { readonly state: "failed"; readonly reason: string };

const RUNNING = new Set(["Running", "Terminating"]);

/** One Rollout of the application as read on a poll, and its judgement. */
interface Judged {
  readonly ref: RolloutRef;
  readonly rollout: ArgoRollout;
  readonly judgement: RolloutJudgement;
}

/**
 * Follows the Argo Rollouts canaries of one sync request while the agent verifies it: once the
 * application is Synced at the requested revision with no operation running (or, in a config
 * repository shared by several apps, at a later commit still deploying the request's image), it reads each Rollout
 * the application manages ({@link rolloutsOf}) on every poll and judges it ({@link judgeRollout}).
 * Each step change is recorded (index, kind, weight, paused, when) for `Deployment Verified` /
 * `Deployment Failed`, and moves the deadline ({@link canaryDeadline}). A Rollout paused at a
 * `pause: {}` step is promoted once per step when the request's `rollout.promotePauses` says so,
 * and otherwise waits within the deadline. An aborted or Degraded Rollout fails the deployment
 * with the Rollout's own message. A Rollout without steps is a plain rollout: Argo CD's health
 * decides. An Argo CD error that may pass leaves the last observation standing for this poll.
 *
 * @example
 * ```ts
 * const canary = new CanaryWatch({ request, requestedAt, rollouts, clock });
 * const seen = await canary.observe(application);
 * if (seen.state === "failed") await fail(seen.reason, canary.progress());
 * ```
 */
export class CanaryWatch {
  readonly #request: SyncRequested;
  readonly #requestedAt: Date;
  readonly #rollouts: RolloutsApi;
  readonly #clock: Clock;
  readonly #steps: CanaryStepRecord[] = [];
  readonly #promoted = new Set<number>();
  #rollout: string | undefined;
  #lastKey: string | undefined;
  #lastChangeAt: Date | undefined;
  #last: CanaryObservation = { state: "none" };
  #aborted = false;
  #pausedAt: CanaryPosition | undefined;

  constructor(options: {
    readonly request: SyncRequested;
    readonly requestedAt: Date;
    readonly rollouts: RolloutsApi;
    readonly clock: Clock;
  }) {
    this.#request = options.request;
    this.#requestedAt = options.requestedAt;
    this.#rollouts = options.rollouts;
    this.#clock = options.clock;
  }

  /** Reads and judges the application's Rollouts (see the class). */
  async observe(
    application: ArgoCdApplication,
    options: {
      /** The application is Synced at a later commit that still deploys the request's image. */
      readonly laterRevision?: boolean;
    } = {},
  ): Promise<CanaryObservation> {
    const status = application.status;
    const atRevision =
      options.laterRevision === true ||
      (status?.sync?.revision === this.#request.revision &&
        status?.sync?.status === "Synced" &&
        !RUNNING.has(status?.operationState?.phase ?? ""));
    const refs = rolloutsOf(application);
    if (!atRevision || refs.length === 0) return this.#last;
    const judged: Judged[] = [];
    try {
      for (const ref of refs) {
        const rollout = await this.#rollouts.getRollout(this.#request.application, ref);
        judged.push({ ref, rollout, judgement: judgeRollout(rollout) });
      }
    } catch (error) {
      if (error instanceof ShiplineError && error.retryable && error.code.startsWith("ARGOCD_"))
        return this.#last;
      throw error;
    }
    this.#last = await this.#judge(judged);
    return this.#last;
  }

  /** The steps recorded so far, or undefined when no canary was seen. */
  progress(): CanaryProgress | undefined {
    if (this.#rollout === undefined) return undefined;
    return { rollout: this.#rollout, steps: [...this.#steps], ...(this.#aborted ? { aborted: true } : {}) };
  }

  /** The deadline now: the request's, moved by the last step change (see {@link canaryDeadline}). */
  deadline(): Date {
    const rollout = this.#request.rollout;
    return canaryDeadline({
      requestedAt: this.#requestedAt,
      deadline: new Date(this.#request.deadline),
      ...(rollout === undefined ? {} : { until: new Date(rollout.until) }),
      ...(this.#lastChangeAt === undefined ? {} : { lastStepChangeAt: this.#lastChangeAt }),
    });
  }

  /** Where the canary stood at the last read, for a deadline's reason; undefined when none was seen. */
  describe(): string | undefined {
    const last = this.#steps.at(-1);
    if (this.#rollout === undefined || last === undefined) return undefined;
    const where = `the Rollout ${this.#rollout} ${describeStep(last)}`;
    if (this.#pausedAt === undefined) return where;
    return `${where}, waiting for a promotion (kubectl argo rollouts promote, or set rollout.promotePauses on the environment)`;
  }

  async #judge(judged: readonly Judged[]): Promise<CanaryObservation> {
    const failed = judged.find((entry) => entry.judgement.state === "failed");
    const canary = failed ?? judged.find((entry) => entry.judgement.state !== "plain");
    if (canary === undefined) return { state: "none" };
    const { ref, rollout, judgement } = canary;
    const name = `${ref.namespace ?? this.#request.environment}/${ref.name}`;
    this.#rollout ??= name;
    if (judgement.state === "plain") return { state: "none" };
    const now = this.#clock.now();
    if (judgement.position !== undefined) {
      // An aborted Rollout's step index says where it stopped, not what ran: nothing is filled in.
      this.#record(
        judgement.state === "failed" ? undefined : rollout,
        judgement.position,
        judgement.state === "paused",
        now,
      );
    }
    this.#pausedAt = undefined;
    if (judgement.state === "failed") {
      this.#aborted = judgement.aborted;
      const at = judgement.position === undefined ? "" : ` at step ${stepOf(judgement.position)}`;
      return {
        state: "failed",
        reason: `the Rollout ${name} ${judgement.aborted ? "was aborted" : "is Degraded"}${at}: ${judgement.reason}`,
      };
    }
    if (judgement.state === "paused" && judgement.awaitsPromotion) {
      const { index } = judgement.position;
      if (this.#request.rollout?.promotePauses === true && !this.#promoted.has(index)) {
        await this.#rollouts.promoteRollout(this.#request.application, ref);
        this.#promoted.add(index);
        const last = this.#steps.at(-1);
        if (last !== undefined) this.#steps[this.#steps.length - 1] = { ...last, promoted: true };
      } else if (!this.#promoted.has(index)) {
        this.#pausedAt = judgement.position;
      }
    }
    const others = judged.filter((entry) => entry !== canary);
    const othersDone = others.every((entry) => ["plain", "completed"].includes(entry.judgement.state));
    return judgement.state === "completed" && othersDone ? { state: "completed" } : { state: "waiting" };
  }

  #record(rollout: ArgoRollout | undefined, position: CanaryPosition, paused: boolean, now: Date): void {
    const key = `${position.index}/${position.kind}/${paused}`;
    if (key === this.#lastKey) return;
    this.#lastKey = key;
    this.#lastChangeAt = now;
    // Steps the canary passed between two reads are recorded as passed by then. Before the first
    // read only when it finds the canary mid-way: a first read past the last step may be Argo
    // Rollouts' first rollout, which skips the steps.
    const last = this.#steps.at(-1)?.index;
    const from = last === undefined ? (position.index < position.total ? 0 : position.index) : last + 1;
    const passedSteps = rollout === undefined ? [] : stepsBefore(rollout, position.index).slice(from);
    for (const passed of passedSteps) {
      this.#steps.push({
        index: passed.index,
        total: passed.total,
        kind: passed.kind,
        ...(passed.weight === undefined ? {} : { weight: passed.weight }),
        at: now.toISOString(),
      });
    }
    this.#steps.push({
      index: position.index,
      total: position.total,
      kind: position.kind,
      ...(position.weight === undefined ? {} : { weight: position.weight }),
      ...(paused ? { paused: true } : {}),
      at: now.toISOString(),
    });
  }
}

function stepOf(position: { readonly index: number; readonly total: number }): string {
  return `${Math.min(position.index + 1, position.total)}/${position.total}`;
}

function describeStep(step: CanaryStepRecord): string {
  const weight = step.weight === undefined ? "" : ` (weight ${step.weight}%)`;
  if (step.kind === "done") return `had run all ${step.total} steps${weight}`;
  return `was ${step.paused ? "paused at" : "at"} step ${stepOf(step)}, ${step.kind}${weight}`;
}
