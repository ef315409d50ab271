import { DeploymentFailureCode } from "../core/agent/deployment-failure-code.js";
import type { ObservedEvent } from "../core/agent/observed-event.js";
import { WAITING_FOR } from "../core/contracts/events/promotion-waiting.js";
import { CounterFamily, HistogramFamily } from "./prometheus-text.js";

/** One deployment the agent decided, as it saw it. */
export interface DeploymentObservation {
  readonly app: string;
  readonly environment: string;
  /** `update` sets an image, `revert` is a rollback (or a person's revert). */
  readonly kind: "update" | "revert";
  readonly outcome: "verified" | "failed";
  /** The failure's code (`Deployment Failed`'s `code`). */
  readonly code?: string;
  /** When the config commit was announced (`Config Committed`), when the request says. */
  readonly committedAt?: Date;
  /** When `Sync Requested` was published. */
  readonly requestedAt: Date;
  /** When the agent took the request off its queue. */
  readonly receivedAt: Date;
  /** When the outcome was published. */
  readonly finishedAt: Date;
  /** How long the metric gate took, when the environment has one. */
  readonly bakeSeconds?: number;
}

/** Why a request waited in the agent rather than being handled. */
export type WaitReason = "application-busy";

/** An app in an environment, as the delivery metrics' `app` and `environment` labels name it. */
export interface DeliveryScope {
  readonly app: string;
  readonly environment: string;
}

const KINDS: readonly DeploymentObservation["kind"][] = ["update", "revert"];
const OUTCOMES: readonly DeploymentObservation["outcome"][] = ["verified", "failed"];
const WAIT_REASONS: readonly WaitReason[] = ["application-busy"];
const PLACED_BY = ["rollback", "person"] as const;

/** Lead time and time to restore: from seconds (a commit verified within a minute) to a week. */
const LONG_BUCKETS = [10, 30, 60, 300, 900, 1800, 3600, 7200, 21_600, 86_400, 259_200, 604_800] as const;
/** Steps: a bake may last up to 12 h (43200 s) and a verification up to 24 h (86400 s). */
const STEP_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21_600, 43_200, 86_400] as const;
const SCOPE = ["app", "environment"] as const;

/** The delivery metrics' names, as the dashboard queries them. */
export const DeliveryMetricName = {
  Deployments: "shipline_deployments_total",
  Failures: "shipline_deployment_failures_total",
  LeadTime: "shipline_deployment_lead_time_seconds",
  TimeToRestore: "shipline_time_to_restore_seconds",
  StepDuration: "shipline_deployment_step_seconds",
  Waits: "shipline_deployment_waits_total",
  HoldsPlaced: "shipline_holds_placed_total",
  HoldsReleased: "shipline_holds_released_total",
  PromotionsWaiting: "shipline_promotions_waiting_total",
} as const;

/**
 * Delivery metrics per app and environment, from what the agent observes itself: every deployment
 * it decides (the `Sync Requested` it took, the outcome it published), so they need no other feed
 * and are exact for its cluster. Exposed with the agent's own metrics at `/metrics`:
 * - `shipline_deployments_total{app,environment,kind,outcome}`: DORA's deployment frequency is the
 *   rate of `kind="update", outcome="verified"`; its change-failure rate `failed / (verified + failed)`;
 *   `kind="revert"` counts rollbacks;
 * - `shipline_deployment_failures_total{app,environment,code}`: failures by code;
 * - `shipline_deployment_lead_time_seconds{app,environment}`: from the config commit
 *   (`Config Committed`) to its verified deployment, updates only;
 * - `shipline_time_to_restore_seconds{app,environment}`: from the first failure of an
 *   environment to its next verified deployment (a revert's or a fix's);
 * - `shipline_deployment_step_seconds{app,environment,step}`: `queued` (published to taken by the
 *   agent), `verify` (taken to Synced and Healthy), `bake` (the metric gate);
 * - `shipline_deployment_waits_total{app,environment,reason}`: requests that waited because the
 *   application was busy with another revision, each counted once however often it was put back;
 * and, from the `Hold Placed`, `Hold Released` and `Promotion Waiting` events of the cluster's
 * environments that its queue also receives (`clusterObservationRule`):
 * - `shipline_holds_placed_total{app,environment,placed_by}` (`rollback` or `person`) and
 *   `shipline_holds_released_total{app,environment}`;
 * - `shipline_promotions_waiting_total{app,environment,waiting_for}` (`approval`, `soak`, `hold`).
 * Counters start again at zero when the agent restarts, which Prometheus' `rate` and `increase`
 * allow for; a failure seen before a restart is not restored afterwards. So that they also count
 * the first event after a start (a series that appears at 1 has no earlier sample to increase
 * from), every known label combination of an (app, environment) is exported at 0 as soon as the
 * agent first sees it ({@link DeliveryMetrics.observeScope}): each kind and outcome, each failure
 * code of `DeploymentFailureCode`, each wait reason, hold origin and promotion wait.
 *
 * @example
 * ```ts
 * const delivery = new DeliveryMetrics();
 * delivery.observeDeployment({ app: "demo", environment: "staging", kind: "update", outcome: "verified", requestedAt, receivedAt, finishedAt });
 * delivery.render();
 * ```
 */
export class DeliveryMetrics {
  readonly #deployments = new CounterFamily(
    DeliveryMetricName.Deployments,
    "Deployments the agent decided, by outcome (verified, failed) and kind (update, revert).",
    [...SCOPE, "kind", "outcome"],
  );
  readonly #failures = new CounterFamily(DeliveryMetricName.Failures, "Failed deployments, by code.", [
    ...SCOPE,
    "code",
  ]);
  readonly #leadTime = new HistogramFamily(
    DeliveryMetricName.LeadTime,
    "Seconds from the config commit (Config Committed) to its verified deployment, updates only.",
    SCOPE,
    LONG_BUCKETS,
  );
  readonly #restore = new HistogramFamily(
    DeliveryMetricName.TimeToRestore,
    "Seconds from the first failed deployment of an environment to its next verified one.",
    SCOPE,
    LONG_BUCKETS,
  );
  readonly #steps = new HistogramFamily(
    DeliveryMetricName.StepDuration,
    "Seconds of each step of a deployment the agent decided: queued, verify, bake.",
    [...SCOPE, "step"],
    STEP_BUCKETS,
  );
  readonly #waits = new CounterFamily(
    DeliveryMetricName.Waits,
    "Sync requests that waited, each once, by reason (application-busy: another revision is being verified).",
    [...SCOPE, "reason"],
  );
  readonly #holdsPlaced = new CounterFamily(
    DeliveryMetricName.HoldsPlaced,
    "Holds placed on an environment, by origin (rollback, person).",
    [...SCOPE, "placed_by"],
  );
  readonly #holdsReleased = new CounterFamily(
    DeliveryMetricName.HoldsReleased,
    "Holds released (shipline release, expiry).",
    SCOPE,
  );
  readonly #promotionsWaiting = new CounterFamily(
    DeliveryMetricName.PromotionsWaiting,
    "Promotions that began to wait, by what they wait for (approval, soak, hold).",
    [...SCOPE, "waiting_for"],
  );
  /** When each (app, environment) first failed since its last verified deployment. */
  readonly #brokenSince = new Map<string, number>();
  /** The (app, environment) pairs whose counters are exported, at 0 until they count. */
  readonly #scopes = new Set<string>();

  /**
   * Exports every known label combination of the counters of an (app, environment) at 0, the first
   * time the agent sees it (a sync request taken off the queue); later calls change nothing.
   */
  observeScope(scope: DeliveryScope): void {
    const key = `${scope.app}\n${scope.environment}`;
    if (this.#scopes.has(key)) return;
    this.#scopes.add(key);
    const labels = { app: scope.app, environment: scope.environment };
    for (const kind of KINDS) {
      for (const outcome of OUTCOMES) this.#deployments.inc({ ...labels, kind, outcome }, 0);
    }
    for (const code of Object.values(DeploymentFailureCode)) this.#failures.inc({ ...labels, code }, 0);
    for (const reason of WAIT_REASONS) this.#waits.inc({ ...labels, reason }, 0);
    for (const placedBy of PLACED_BY) this.#holdsPlaced.inc({ ...labels, placed_by: placedBy }, 0);
    this.#holdsReleased.inc(labels, 0);
    for (const waitingFor of WAITING_FOR)
      this.#promotionsWaiting.inc({ ...labels, waiting_for: waitingFor }, 0);
  }

  /** Records a deployment the agent decided. */
  observeDeployment(observation: DeploymentObservation): void {
    const scope = { app: observation.app, environment: observation.environment };
    this.observeScope(scope);
    const finished = observation.finishedAt.getTime();
    const received = observation.receivedAt.getTime();
    this.#deployments.inc({ ...scope, kind: observation.kind, outcome: observation.outcome });
    this.#steps.observe({ ...scope, step: "queued" }, seconds(received - observation.requestedAt.getTime()));
    const bake = observation.bakeSeconds ?? 0;
    this.#steps.observe({ ...scope, step: "verify" }, Math.max(0, seconds(finished - received) - bake));
    if (observation.bakeSeconds !== undefined) this.#steps.observe({ ...scope, step: "bake" }, bake);
    const key = `${observation.app}\n${observation.environment}`;
    if (observation.outcome === "failed") {
      this.#failures.inc({ ...scope, code: observation.code ?? "UNKNOWN" });
      if (!this.#brokenSince.has(key)) this.#brokenSince.set(key, finished);
      return;
    }
    const brokenSince = this.#brokenSince.get(key);
    if (brokenSince !== undefined) {
      this.#restore.observe(scope, seconds(finished - brokenSince));
      this.#brokenSince.delete(key);
    }
    if (observation.kind === "update") {
      const committed = (observation.committedAt ?? observation.requestedAt).getTime();
      this.#leadTime.observe(scope, seconds(finished - committed));
    }
  }

  /** Counts a request that waits (the caller counts each request once, not each put-back). */
  countWait(scope: DeliveryScope, reason: WaitReason): void {
    this.observeScope(scope);
    this.#waits.inc({ app: scope.app, environment: scope.environment, reason });
  }

  /** Counts a hold or a wait of one of the cluster's environments. */
  observeEvent(event: ObservedEvent): void {
    const scope = { app: event.app, environment: event.environment };
    this.observeScope(scope);
    if (event.type === "hold-placed") this.#holdsPlaced.inc({ ...scope, placed_by: event.placedBy });
    else if (event.type === "hold-released") this.#holdsReleased.inc(scope);
    else this.#promotionsWaiting.inc({ ...scope, waiting_for: event.waitingFor });
  }

  /** The delivery metrics' lines in Prometheus' text format. */
  render(): string[] {
    return [
      ...this.#deployments.render(),
      ...this.#failures.render(),
      ...this.#leadTime.render(),
      ...this.#restore.render(),
      ...this.#steps.render(),
      ...this.#waits.render(),
      ...this.#holdsPlaced.render(),
      ...this.#holdsReleased.render(),
      ...this.#promotionsWaiting.render(),
    ];
  }
}

function seconds(milliseconds: number): number {
  return Math.max(0, milliseconds / 1000);
}
