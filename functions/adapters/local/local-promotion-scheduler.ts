import * as z from "zod";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { DocumentStore } from "../../core/ports/document-store.js";
import type { PromotionScheduler, ScheduledPromotion } from "../../core/ports/promotion-scheduler.js";
import {
  type PromotionDue,
  promotionDuePayload,
  toPromotionDuePayload,
} from "../../core/promotion/promotion-due.js";

/** The timer functions the scheduler uses; tests pass their own. */
export interface SchedulerTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link LocalPromotionScheduler}. */
export interface LocalPromotionSchedulerOptions {
  /** Runs a due check: the local runtime hands the payload to the promote handler. */
  readonly deliver: (payload: PromotionDue) => Promise<void>;
  /** Decides when a check is due. @default - the system clock */
  readonly clock?: Clock;
  /** @default - the global setTimeout / clearTimeout */
  readonly timers?: SchedulerTimers;
  /** Deliveries tried before a check is given up. @default 3 */
  readonly maxAttempts?: number;
  /** Wait before trying a failed delivery again. @default 30_000 */
  readonly retryDelayMs?: number;
  /** Told about a check given up after its last attempt. @default - written to stderr */
  readonly onGiveUp?: (error: unknown, payload: PromotionDue) => void;
  /**
   * Keeps every waiting check (table {@link LOCAL_SCHEDULES_TABLE}) so that `resume` arms them
   * again after a restart, as EventBridge Scheduler keeps its schedules.
   * @default - checks live in memory only
   */
  readonly store?: DocumentStore;
}

/** The table the local schedulers keep their waiting checks in. */
export const LOCAL_SCHEDULES_TABLE = "local-schedules";

const PROMOTION_PARTITION = "promotion";

const keptCheck = z.object({ at: z.iso.datetime({ offset: true }), payload: promotionDuePayload });

/** The longest delay one timer takes (setTimeout's limit, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

const defaultTimers: SchedulerTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The local {@link PromotionScheduler}: an in-process timer per check, keyed by its id (scheduling
 * an id that is waiting does nothing). When a check is due by the injected clock it is delivered as
 * a `Promotion Due` payload; a failed delivery is tried again after `retryDelayMs`, up to
 * `maxAttempts` times. Delays beyond one timer's limit are covered by several timers. With a
 * `store`, every waiting check is kept there until it ran, and `resume` arms them again after a
 * restart.
 *
 * @example
 * ```ts
 * const scheduler = new LocalPromotionScheduler({ deliver: (payload) => promoteHandler(payload, context) });
 * await scheduler.schedulePromotion(request);
 * // ... on shutdown
 * scheduler.close();
 * ```
 */
export class LocalPromotionScheduler implements PromotionScheduler {
  readonly #options: LocalPromotionSchedulerOptions;
  readonly #clock: Clock;
  readonly #timers: SchedulerTimers;
  readonly #waiting = new Map<string, { readonly at: Date; handle: unknown }>();

  constructor(options: LocalPromotionSchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? defaultTimers;
  }

  /** Schedules the check, unless a check with its id is waiting. */
  async schedulePromotion(request: ScheduledPromotion): Promise<void> {
    if (this.#waiting.has(request.id)) return;
    const payload = toPromotionDuePayload(request);
    await this.#options.store?.put(
      LOCAL_SCHEDULES_TABLE,
      { pk: PROMOTION_PARTITION, sk: request.id },
      { at: request.at.toISOString(), payload },
    );
    this.#waiting.set(request.id, { at: request.at, handle: undefined });
    this.#arm(request.id, payload, 1);
  }

  /**
   * Arms again the checks kept in the store (a restart of the runtime): a check due meanwhile runs
   * at once. A kept check that does not parse is dropped with a line on stderr. Resolves with how
   * many were armed.
   */
  async resume(): Promise<number> {
    const store = this.#options.store;
    if (store === undefined) return 0;
    let armed = 0;
    for (const item of await store.query(LOCAL_SCHEDULES_TABLE, PROMOTION_PARTITION)) {
      const kept = keptCheck.safeParse(item.value);
      if (!kept.success) {
        process.stderr.write(`promotion check ${item.sk} kept from an earlier run does not parse; dropped\n`);
        await store.delete(LOCAL_SCHEDULES_TABLE, item);
        continue;
      }
      if (this.#waiting.has(item.sk)) continue;
      this.#waiting.set(item.sk, { at: new Date(kept.data.at), handle: undefined });
      this.#arm(item.sk, kept.data.payload, 1);
      armed += 1;
    }
    return armed;
  }

  /** The checks waiting, by id, with when each is due. */
  waiting(): { readonly id: string; readonly at: Date }[] {
    return [...this.#waiting].map(([id, { at }]) => ({ id, at }));
  }

  /** Cancels every waiting check. */
  close(): void {
    for (const { handle } of this.#waiting.values()) this.#timers.clearTimeout(handle);
    this.#waiting.clear();
  }

  #arm(id: string, payload: PromotionDue, attempt: number, delayMs?: number): void {
    const entry = this.#waiting.get(id);
    if (entry === undefined) return;
    const untilDue = entry.at.getTime() - this.#clock.now().getTime();
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, delayMs ?? untilDue));
    entry.handle = this.#timers.setTimeout(() => {
      void this.#fire(id, payload, attempt);
    }, delay);
  }

  async #fire(id: string, payload: PromotionDue, attempt: number): Promise<void> {
    const entry = this.#waiting.get(id);
    if (entry === undefined) return;
    if (entry.at.getTime() > this.#clock.now().getTime()) {
      this.#arm(id, payload, attempt);
      return;
    }
    try {
      await this.#options.deliver(payload);
      this.#waiting.delete(id);
      await this.#forget(id);
    } catch (error) {
      if (attempt < (this.#options.maxAttempts ?? 3)) {
        this.#arm(id, payload, attempt + 1, this.#options.retryDelayMs ?? 30_000);
        return;
      }
      this.#waiting.delete(id);
      await this.#forget(id);
      const giveUp =
        this.#options.onGiveUp ??
        ((reason: unknown) => {
          const message = reason instanceof Error ? reason.message : String(reason);
          process.stderr.write(`promotion check ${id} was given up after ${attempt} attempts: ${message}\n`);
        });
      giveUp(error, payload);
    }
  }

  async #forget(id: string): Promise<void> {
    await this.#options.store?.delete(LOCAL_SCHEDULES_TABLE, { pk: PROMOTION_PARTITION, sk: id });
  }
}
