import type { ObservedEvent } from "../core/agent/observed-event.js";
import {
  DeliveryMetrics,
  type DeliveryScope,
  type DeploymentObservation,
  type WaitReason,
} from "./delivery-metrics.js";
import { escapeLabel } from "./prometheus-text.js";

/** How a sync request ended, as the agent counts it. */
export type RequestOutcome =
  | "verified"
  | "failed"
  | "duplicate"
  | "stale"
  | "superseded"
  | "invalid"
  | "released";

const DURATION_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1800, 3600] as const;

/**
 * The agent's metrics, exposed in Prometheus' text format (version 0.0.4) at `/metrics`:
 * - `shipline_agent_sync_requests_total{outcome}`: requests by outcome;
 * - `shipline_agent_verification_seconds`: time from receipt to a verified or failed deployment;
 * - `shipline_agent_argocd_errors_total{code}`: Argo CD errors that put a request back on the queue;
 * - `shipline_agent_in_flight_requests`: requests being handled now;
 * - `shipline_agent_receive_errors_total`: failed queue polls;
 * and the delivery metrics per app and environment ({@link DeliveryMetrics}: deployments, failures,
 * lead time, time to restore, step durations, waits).
 *
 * @example
 * ```ts
 * const metrics = new AgentMetrics();
 * metrics.countRequest("verified", 42.5);
 * response.end(metrics.render());
 * ```
 */
export class AgentMetrics {
  readonly #requests = new Map<RequestOutcome, number>();
  readonly #argocdErrors = new Map<string, number>();
  readonly #buckets: number[] = DURATION_BUCKETS.map(() => 0);
  #durationCount = 0;
  #durationSum = 0;
  #inFlight = 0;
  #receiveErrors = 0;
  readonly #delivery = new DeliveryMetrics();

  /** Exports an (app, environment)'s delivery counters at 0 when first seen (see {@link DeliveryMetrics}). */
  observeScope(scope: DeliveryScope): void {
    this.#delivery.observeScope(scope);
  }

  /** Records a deployment the agent decided (see {@link DeliveryMetrics}). */
  observeDeployment(observation: DeploymentObservation): void {
    this.#delivery.observeDeployment(observation);
  }

  /** Counts a hold or a wait the cluster's queue told (see {@link DeliveryMetrics}). */
  observeEvent(event: ObservedEvent): void {
    this.#delivery.observeEvent(event);
  }

  /** Counts a request that waits, once per request (see {@link DeliveryMetrics}). */
  countWait(scope: { readonly app: string; readonly environment: string }, reason: WaitReason): void {
    this.#delivery.countWait(scope, reason);
  }

  /** Counts a handled request; `seconds` (verified and failed ones) feeds the duration histogram. */
  countRequest(outcome: RequestOutcome, seconds?: number): void {
    this.#requests.set(outcome, (this.#requests.get(outcome) ?? 0) + 1);
    if (seconds === undefined) return;
    this.#durationCount += 1;
    this.#durationSum += seconds;
    DURATION_BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) this.#buckets[index] = (this.#buckets[index] ?? 0) + 1;
    });
  }

  /** Counts an Argo CD error by its code. */
  countArgoCdError(code: string): void {
    this.#argocdErrors.set(code, (this.#argocdErrors.get(code) ?? 0) + 1);
  }

  /** Counts a failed poll of the queue. */
  countReceiveError(): void {
    this.#receiveErrors += 1;
  }

  /** Sets the number of requests in flight. */
  setInFlight(count: number): void {
    this.#inFlight = count;
  }

  /** The metrics in Prometheus' text exposition format. */
  render(): string {
    const lines: string[] = [
      "# HELP shipline_agent_sync_requests_total Sync requests handled, by outcome.",
      "# TYPE shipline_agent_sync_requests_total counter",
      ...[...this.#requests].map(
        ([outcome, count]) => `shipline_agent_sync_requests_total{outcome="${outcome}"} ${count}`,
      ),
      "# HELP shipline_agent_verification_seconds Time from receiving a sync request to its verified or failed deployment.",
      "# TYPE shipline_agent_verification_seconds histogram",
      ...DURATION_BUCKETS.map(
        (bound, index) =>
          `shipline_agent_verification_seconds_bucket{le="${bound}"} ${this.#buckets[index] ?? 0}`,
      ),
      `shipline_agent_verification_seconds_bucket{le="+Inf"} ${this.#durationCount}`,
      `shipline_agent_verification_seconds_sum ${this.#durationSum}`,
      `shipline_agent_verification_seconds_count ${this.#durationCount}`,
      "# HELP shipline_agent_argocd_errors_total Argo CD errors that put a sync request back on the queue, by code.",
      "# TYPE shipline_agent_argocd_errors_total counter",
      ...[...this.#argocdErrors].map(
        ([code, count]) => `shipline_agent_argocd_errors_total{code="${escapeLabel(code)}"} ${count}`,
      ),
      "# HELP shipline_agent_receive_errors_total Failed polls of the cluster queue.",
      "# TYPE shipline_agent_receive_errors_total counter",
      `shipline_agent_receive_errors_total ${this.#receiveErrors}`,
      "# HELP shipline_agent_in_flight_requests Sync requests being handled now.",
      "# TYPE shipline_agent_in_flight_requests gauge",
      `shipline_agent_in_flight_requests ${this.#inFlight}`,
      ...this.#delivery.render(),
    ];
    return `${lines.join("\n")}\n`;
  }
}
