import { randomUUID } from "node:crypto";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import { signWebhookBody, signWebhookBodySha1 } from "./webhook-signature.js";

/** Where push webhooks go. */
export interface WebhookTarget {
  /** Receiver URL. */
  readonly url: string;
  /** Shared secret for `X-Hub-Signature-256`. Never logged. */
  readonly secret: string;
}

/** One try to deliver a webhook. */
export interface DeliveryAttempt {
  readonly at: Date;
  /** HTTP status of the receiver's answer, when there was one. */
  readonly statusCode?: number;
  /** Why the try failed without an answer (connection refused, timeout). */
  readonly error?: string;
}

/** A webhook delivery and its tries, kept for inspection. */
export interface WebhookDelivery {
  /** `X-GitHub-Delivery`: the same on every retry, so receivers can drop duplicates. */
  readonly id: string;
  readonly hookId: number;
  readonly url: string;
  readonly event: string;
  /** The exact body sent. */
  readonly body: string;
  status: "pending" | "delivered" | "failed";
  readonly attempts: DeliveryAttempt[];
}

/** Options for {@link WebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  /** Tries per delivery, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** Wait before the first retry; doubles for each further one. @default 1000 */
  readonly retryDelayMs?: number;
  /** Longest wait between tries. @default 30000 */
  readonly maxRetryDelayMs?: number;
  /** How long a receiver may take to answer. @default 10000 */
  readonly timeoutMs?: number;
  /** Deliveries kept for inspection (oldest dropped first). @default 500 */
  readonly keep?: number;
  readonly clock?: Clock;
}

/** What to deliver. */
export interface WebhookMessage {
  readonly target: WebhookTarget;
  readonly hookId: number;
  /** `X-GitHub-Event`, e.g. `push`. */
  readonly event: string;
  /** The JSON body, sent byte for byte as signed. */
  readonly body: string;
  /** `X-GitHub-Hook-Installation-Target-ID`: the repository id. */
  readonly targetId: number;
}

/**
 * Sends GitHub-format webhooks: `X-GitHub-Event`, `X-GitHub-Delivery`, `X-Hub-Signature-256` (and the
 * legacy `X-Hub-Signature`) over the exact body bytes, `User-Agent: GitHub-Hookshot/…`. A delivery
 * that fails (no answer, timeout, or a status outside 2xx) is retried with exponential backoff up to
 * `maxAttempts` tries; every try is recorded.
 *
 * @example
 * ```ts
 * const dispatcher = new WebhookDispatcher({ maxAttempts: 3 });
 * await dispatcher.deliver({ target: { url, secret }, hookId: 1, event: "push", body, targetId: 42 });
 * ```
 */
export class WebhookDispatcher {
  private readonly options: WebhookDispatcherOptions;
  private readonly recorded: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<WebhookDelivery>>();
  private readonly stopping = new AbortController();

  constructor(options: WebhookDispatcherOptions = {}) {
    this.options = options;
  }

  /** Delivers one webhook, retrying as configured; resolves with the final record (it never rejects). */
  deliver(message: WebhookMessage): Promise<WebhookDelivery> {
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      hookId: message.hookId,
      url: message.target.url,
      event: message.event,
      body: message.body,
      status: "pending",
      attempts: [],
    };
    this.recorded.push(delivery);
    const keep = this.options.keep ?? 500;
    if (this.recorded.length > keep) this.recorded.splice(0, this.recorded.length - keep);
    const running = this.run(delivery, message).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return running;
  }

  /** Every recorded delivery, oldest first. */
  deliveries(): readonly WebhookDelivery[] {
    return [...this.recorded];
  }

  /** Resolves when no delivery is pending any more. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Cancels the retries still waiting (they are recorded as failed) and waits for the rest. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  private async run(delivery: WebhookDelivery, message: WebhookMessage): Promise<WebhookDelivery> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 5);
    const body = Buffer.from(message.body, "utf8");
    const headers = {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/shipline-local",
      "x-github-event": message.event,
      "x-github-delivery": delivery.id,
      "x-github-hook-id": String(message.hookId),
      "x-github-hook-installation-target-type": "repository",
      "x-github-hook-installation-target-id": String(message.targetId),
      "x-hub-signature": signWebhookBodySha1(message.target.secret, body),
      "x-hub-signature-256": signWebhookBody(message.target.secret, body),
    };
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (attempt > 1 && !(await this.wait(this.retryDelay(attempt - 1)))) break;
      const outcome = await this.post(message.target.url, headers, body);
      delivery.attempts.push(outcome);
      if (outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300) {
        delivery.status = "delivered";
        return delivery;
      }
      if (this.stopping.signal.aborted) break;
    }
    delivery.status = "failed";
    return delivery;
  }

  private async post(url: string, headers: Record<string, string>, body: Buffer): Promise<DeliveryAttempt> {
    const at = (this.options.clock ?? systemClock).now();
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.any([
          AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
          this.stopping.signal,
        ]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { at, statusCode: response.status };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      return { at, error: `${error instanceof Error ? error.message : String(error)}${cause}` };
    }
  }

  private retryDelay(retry: number): number {
    const base = this.options.retryDelayMs ?? 1000;
    return Math.min(base * 2 ** (retry - 1), this.options.maxRetryDelayMs ?? 30_000);
  }

  /** Sleeps, unless stopping; answers false when stopped. */
  private wait(ms: number): Promise<boolean> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
