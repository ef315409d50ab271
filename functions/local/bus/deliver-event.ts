import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { isRetryable } from "../../core/errors/shipline-error.js";
import type { Clock } from "../../core/ports/clock.js";
import { type BackoffOptions, backoffDelay } from "./backoff.js";
import { type DeadLetterReason, type DeadLetterStore, describeError } from "./dead-letter-store.js";
import type { RegisteredRule } from "./rule-index.js";

/** Waits `ms` milliseconds; rejects when the signal aborts (the bus is closing). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** What a delivery needs from the bus. */
export interface DeliveryContext {
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly backoff: BackoffOptions;
  readonly deadLetters: DeadLetterStore;
  readonly signal: AbortSignal;
  /** Told of every failed attempt, for logs. */
  readonly onAttemptFailed?: (failure: { rule: string; attempt: number; error: unknown }) => void;
  /**
   * Keeps a delivery whose retry the closing bus cut short for the next start (its deliveries are
   * kept on disk) instead of dead-lettering it.
   * @default false
   */
  readonly keepOnClose?: boolean;
}

/** How a delivery ended: delivered, dead-lettered, or cut short by the bus closing (kept for later). */
export type DeliveryOutcome = "delivered" | "dead-lettered" | "interrupted";

/**
 * Delivers one event to one rule's target as EventBridge does: on failure it retries with
 * exponential backoff and full jitter until the rule's `maximumRetryAttempts` or
 * `maximumEventAgeSeconds` is reached, then records a dead letter. A non-retryable
 * `ShiplineError` is dead-lettered at once, since trying again cannot help. With `keepOnClose`, a
 * retry the closing bus cut short is `interrupted` instead: the bus delivers it again at its next
 * start.
 *
 * @example
 * ```ts
 * await deliverEvent(rule, event, Date.now(), context);
 * ```
 */
export async function deliverEvent(
  rule: RegisteredRule,
  event: EventEnvelope,
  receivedAt: number,
  context: DeliveryContext,
): Promise<DeliveryOutcome> {
  const { maximumRetryAttempts, maximumEventAgeSeconds } = rule.definition.retry;
  const deadline = receivedAt + maximumEventAgeSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    try {
      await rule.target(event);
      return "delivered";
    } catch (error) {
      failure = error;
    }
    context.onAttemptFailed?.({ rule: rule.definition.name, attempt, error: failure });
    const delay = backoffDelay(attempt, context.backoff);
    let reason: DeadLetterReason | undefined;
    if (!isRetryable(failure)) reason = "non-retryable";
    else if (attempt > maximumRetryAttempts) reason = "max-attempts";
    else if (context.clock.now().getTime() + delay > deadline) reason = "max-event-age";
    else if (context.signal.aborted) reason = "bus-closed";
    if (reason === undefined) {
      try {
        await context.sleep(delay, context.signal);
        continue;
      } catch {
        reason = "bus-closed";
      }
    }
    if (reason === "bus-closed" && context.keepOnClose === true) return "interrupted";
    await context.deadLetters.add({
      time: context.clock.now().toISOString(),
      rule: rule.definition.name,
      target: rule.targetName,
      event,
      error: describeError(failure),
      attempts: attempt,
      reason,
    });
    return "dead-lettered";
  }
}

/**
 * The real sleep: a timer cleared when the signal aborts.
 *
 * @example
 * ```ts
 * await abortableSleep(100, controller.signal);
 * ```
 */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
