import type { ArgoCdApi } from "../core/agent/argocd-api.js";
import type { MetricChecks } from "../core/agent/metric-checks.js";
import { parseObservedEvent } from "../core/agent/observed-event.js";
import { RevisionOrder } from "../core/agent/revision-order.js";
import type { RolloutsApi } from "../core/agent/rollouts-api.js";
import { parseSyncRequestMessage, type SyncRequestMessage } from "../core/agent/sync-request-message.js";
import { VerifiedRevisions } from "../core/agent/verified-revisions.js";
import { verifyDeployment } from "../core/agent/verify-deployment.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../core/ports/clock.js";
import type { EventPublisher } from "../core/ports/event-publisher.js";
import type { MessageQueue, ReceivedMessage } from "../core/ports/message-queue.js";
import { abortableSleep } from "./abortable-sleep.js";
import type { AgentMetrics } from "./agent-metrics.js";

/** Where the agent writes what it does (Powertools' Logger fits). */
export interface AgentLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link SyncAgent}. */
export interface SyncAgentOptions {
  /** The cluster's queue of `Sync Requested` events. */
  readonly queue: MessageQueue;
  readonly argocd: ArgoCdApi;
  /**
   * Reads and promotes the Argo Rollouts applications manage (canaries are then verified step by
   * step). @default - Rollouts are judged by Argo CD's health alone
   */
  readonly rollouts?: RolloutsApi;
  /**
   * Reads the metric gates' checks (an environment's `bake`).
   * @default - a request with a bake fails closed
   */
  readonly metricChecks?: MetricChecks;
  /** Between two reads of a metric gate's check (at most a quarter of its window). @default 15000 */
  readonly bakeIntervalMs?: number;
  /** Publishes the outcomes, with the agent's own credentials. */
  readonly publisher: EventPublisher;
  readonly metrics: AgentMetrics;
  readonly logger: AgentLogger;
  /** @default - the system clock */
  readonly clock?: Clock;
  /** Requests handled at once (one per application at a time). @default 4 */
  readonly concurrency?: number;
  /** Long-poll wait of a receive (0..20). @default 20 */
  readonly waitTimeSeconds?: number;
  /** How long a received message stays hidden; renewed every half of it while handled. @default 60 */
  readonly visibilityTimeoutSeconds?: number;
  /** First back-off of a request put back after an error, doubled per receive up to 15 minutes. @default 15 */
  readonly backoffSeconds?: number;
  /** Delay of a request for an application that is busy with another revision. @default 10 */
  readonly busyDelaySeconds?: number;
  /** Between two reads of an application. @default 5000 */
  readonly pollIntervalMs?: number;
  /** Refresh every n-th read. @default 6 */
  readonly refreshEvery?: number;
}

/**
 * The in-cluster agent (step 9): long-polls its cluster's queue and, for each `Sync Requested`,
 * runs `verifyDeployment` (refresh, sync when auto-sync is off, watch until verified, failed or
 * past the deadline). A message is deleted only once its outcome is published (or it needs none:
 * duplicate, stale, superseded, not a sync request). While a request is handled its message stays
 * hidden (the visibility is renewed); after an error (Argo CD unreachable, a publish that failed)
 * it is made visible again after a back-off that doubles with each receive. Requests for one
 * application are handled one at a time: a second one for the same revision is a duplicate and
 * deleted, one for another revision waits. `stop()` ends polling, releases the requests being
 * watched (visible again at once, for the next agent) and resolves when all is done.
 *
 * @example
 * ```ts
 * const agent = new SyncAgent({ queue, argocd, publisher, metrics, logger });
 * process.once("SIGTERM", () => void agent.stop());
 * await agent.run();
 * ```
 */
export class SyncAgent {
  readonly #options: SyncAgentOptions;
  readonly #clock: Clock;
  readonly #controller = new AbortController();
  readonly #verified = new VerifiedRevisions();
  readonly #order: RevisionOrder;
  readonly #active = new Map<string, string>();
  /** Event ids of requests counted as waiting, until their outcome; the oldest go beyond the bound. */
  readonly #waiting = new Set<string>();
  readonly #tasks = new Set<Promise<void>>();
  #lastPollAt: Date | undefined;
  #running: Promise<void> | undefined;

  constructor(options: SyncAgentOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#order = new RevisionOrder(options.argocd);
  }

  /** Polls until {@link stop}; resolves once every request in hand is answered or released. */
  run(): Promise<void> {
    this.#running ??= this.#loop();
    return this.#running;
  }

  /** Stops polling and releases what is in hand; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.#controller.abort();
    await this.#running;
  }

  /** Liveness: running, and the queue was polled recently. */
  health(): { readonly live: boolean; readonly lastPollAt?: Date; readonly inFlight: number } {
    const limit = ((this.#options.waitTimeSeconds ?? 20) + 60) * 1000;
    const recent =
      this.#lastPollAt !== undefined && this.#clock.now().getTime() - this.#lastPollAt.getTime() <= limit;
    return {
      live: !this.#controller.signal.aborted && this.#running !== undefined && recent,
      ...(this.#lastPollAt === undefined ? {} : { lastPollAt: this.#lastPollAt }),
      inFlight: this.#tasks.size,
    };
  }

  async #loop(): Promise<void> {
    const { signal } = this.#controller;
    const concurrency = Math.max(1, this.#options.concurrency ?? 4);
    while (!signal.aborted) {
      if (this.#tasks.size >= concurrency) {
        await Promise.race(this.#tasks);
        continue;
      }
      this.#lastPollAt = this.#clock.now();
      let messages: ReceivedMessage[];
      try {
        messages = await this.#options.queue.receive({
          maxMessages: Math.min(10, concurrency - this.#tasks.size),
          waitTimeSeconds: this.#options.waitTimeSeconds ?? 20,
          visibilityTimeoutSeconds: this.#visibility(),
          signal,
        });
      } catch (error) {
        if (signal.aborted) break;
        this.#options.metrics.countReceiveError();
        this.#options.logger.error("Polling the cluster queue failed; trying again", {
          error: describe(error),
        });
        await abortableSleep(5000, signal);
        continue;
      }
      for (const message of messages) {
        const task = this.#handle(message).finally(() => {
          this.#tasks.delete(task);
          this.#options.metrics.setInFlight(this.#tasks.size);
        });
        this.#tasks.add(task);
        this.#options.metrics.setInFlight(this.#tasks.size);
      }
    }
    await Promise.allSettled([...this.#tasks]);
  }

  async #handle(message: ReceivedMessage): Promise<void> {
    const { queue, logger, metrics } = this.#options;
    let parsed: SyncRequestMessage;
    try {
      // The holds and waits of the cluster's environments come on the same queue, for the metrics.
      const observed = parseObservedEvent(message.body);
      if (observed !== undefined) {
        metrics.observeEvent(observed);
        await this.#settle(() => queue.delete(message.receiptHandle));
        return;
      }
      parsed = parseSyncRequestMessage(message.body);
    } catch (error) {
      metrics.countRequest("invalid");
      logger.error("Deleting a message that is not a sync request", {
        messageId: message.messageId,
        error: describe(error),
      });
      await this.#settle(() => queue.delete(message.receiptHandle));
      return;
    }
    const { request } = parsed;
    // Its counters start at 0 now, so that the outcome's increment is seen by increase() and rate().
    metrics.observeScope({ app: request.app, environment: request.environment });
    // Where Argo CD cannot tell commit times, the announced one orders this revision against others.
    this.#order.announce(request.revision, request.committedAt);
    const fields = {
      application: request.application,
      revision: request.revision,
      correlationId: request.correlationId,
    };
    const busyWith = this.#active.get(request.application);
    if (busyWith === request.revision) {
      metrics.countRequest("duplicate");
      logger.info("Duplicate of a request in hand; deleted", fields);
      this.#waiting.delete(parsed.eventId);
      await this.#settle(() => queue.delete(message.receiptHandle));
      return;
    }
    if (busyWith !== undefined) {
      // Counted once per request, not at every put-back.
      if (!this.#waiting.has(parsed.eventId)) {
        this.#waiting.add(parsed.eventId);
        if (this.#waiting.size > MAX_WAITING) this.#waiting.delete(this.#waiting.values().next().value ?? "");
        metrics.countWait({ app: request.app, environment: request.environment }, "application-busy");
      }
      logger.info("Application busy with another revision; request put back", { ...fields, busyWith });
      await this.#settle(() =>
        queue.changeVisibility(message.receiptHandle, this.#options.busyDelaySeconds ?? 10),
      );
      return;
    }
    this.#active.set(request.application, request.revision);
    const started = this.#clock.now().getTime();
    const heartbeat = setInterval(
      () => void this.#settle(() => queue.changeVisibility(message.receiptHandle, this.#visibility())),
      (this.#visibility() * 1000) / 2,
    );
    try {
      const result = await verifyDeployment({
        request,
        requestedAt: parsed.requestedAt,
        argocd: this.#options.argocd,
        publisher: this.#options.publisher,
        clock: this.#clock,
        verified: this.#verified,
        order: this.#order,
        sleep: abortableSleep,
        signal: this.#controller.signal,
        ...(this.#options.pollIntervalMs === undefined
          ? {}
          : { pollIntervalMs: this.#options.pollIntervalMs }),
        ...(this.#options.refreshEvery === undefined ? {} : { refreshEvery: this.#options.refreshEvery }),
        ...(this.#options.rollouts === undefined ? {} : { rollouts: this.#options.rollouts }),
        ...(this.#options.metricChecks === undefined ? {} : { metricChecks: this.#options.metricChecks }),
        ...(this.#options.bakeIntervalMs === undefined
          ? {}
          : { bakeIntervalMs: this.#options.bakeIntervalMs }),
      });
      clearInterval(heartbeat);
      const seconds = (this.#clock.now().getTime() - started) / 1000;
      const timed = result.outcome === "verified" || result.outcome === "failed";
      metrics.countRequest(result.outcome, timed ? seconds : undefined);
      if (result.outcome === "verified" || result.outcome === "failed") {
        metrics.observeDeployment({
          app: request.app,
          environment: request.environment,
          kind: request.kind ?? "update",
          outcome: result.outcome,
          ...(result.outcome === "failed" ? { code: result.code } : {}),
          ...(request.committedAt === undefined ? {} : { committedAt: new Date(request.committedAt) }),
          requestedAt: parsed.requestedAt,
          receivedAt: new Date(started),
          finishedAt: this.#clock.now(),
          ...(result.bakeSeconds === undefined ? {} : { bakeSeconds: result.bakeSeconds }),
        });
      }
      logger.info(`Sync request ${result.outcome}`, { ...fields, ...result });
      this.#waiting.delete(parsed.eventId);
      await this.#settle(() => queue.delete(message.receiptHandle));
    } catch (error) {
      clearInterval(heartbeat);
      const stopping = error instanceof ShiplineError && error.code === "AGENT_STOPPING";
      if (error instanceof ShiplineError && error.code.startsWith("ARGOCD_"))
        metrics.countArgoCdError(error.code);
      const delay = stopping ? 0 : this.#backoff(message.receiveCount);
      metrics.countRequest("released");
      logger.warn(stopping ? "Stopping; request released" : "Request put back after an error", {
        ...fields,
        retryInSeconds: delay,
        error: describe(error),
      });
      await this.#settle(() => queue.changeVisibility(message.receiptHandle, delay));
    } finally {
      this.#active.delete(request.application);
    }
  }

  #visibility(): number {
    return Math.max(2, this.#options.visibilityTimeoutSeconds ?? 60);
  }

  #backoff(receiveCount: number): number {
    const base = this.#options.backoffSeconds ?? 15;
    return Math.min(900, base * 2 ** Math.max(0, receiveCount - 1));
  }

  /** Runs a queue call whose failure only costs a redelivery: logged, not thrown. */
  async #settle(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.#options.logger.warn("A queue call failed; the message comes back after its visibility timeout", {
        error: describe(error),
      });
    }
  }
}

/** Bound of the waiting requests remembered (far above the requests of one cluster at once). */
const MAX_WAITING = 10_000;

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof ShiplineError)
    return { code: error.code, message: error.message, retryable: error.retryable };
  return { message: error instanceof Error ? error.message : String(error) };
}
