import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  LocalPromotionScheduler,
  type SchedulerTimers,
} from "../../../../functions/adapters/local/local-promotion-scheduler.js";
import type { ScheduledPromotion } from "../../../../functions/core/ports/promotion-scheduler.js";
import type { PromotionDue } from "../../../../functions/core/promotion/promotion-due.js";

/** Timers the test fires by hand. */
class ManualTimers implements SchedulerTimers {
  #next = 0;
  readonly armed = new Map<number, { readonly callback: () => void; readonly delayMs: number }>();

  setTimeout(callback: () => void, delayMs: number): unknown {
    this.#next += 1;
    this.armed.set(this.#next, { callback, delayMs });
    return this.#next;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === "number") this.armed.delete(handle);
  }

  /** Fires every armed timer once and lets the deliveries settle. */
  async fireAll(): Promise<void> {
    const due = [...this.armed.entries()];
    for (const [handle] of due) this.armed.delete(handle);
    for (const [, { callback }] of due) callback();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const request: ScheduledPromotion = {
  id: "soak-elapsed.shop.staging.abc",
  at: new Date("2026-03-01T12:10:00Z"),
  reason: "soak-elapsed",
  app: "shop",
  environment: "staging",
  digest: `sha256:${"a".repeat(64)}`,
  commit: "1".repeat(40),
  correlationId: "push-1",
};

describe("LocalPromotionScheduler", () => {
  let now: Date;
  let timers: ManualTimers;
  let delivered: PromotionDue[];
  let failures: number;
  let scheduler: LocalPromotionScheduler;

  beforeEach(() => {
    now = new Date("2026-03-01T12:00:00Z");
    timers = new ManualTimers();
    delivered = [];
    failures = 0;
    scheduler = new LocalPromotionScheduler({
      clock: { now: () => now },
      timers,
      deliver: async (payload) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error("handler failed");
        }
        delivered.push(payload);
      },
      retryDelayMs: 5,
    });
  });

  afterEach(() => {
    scheduler.close();
  });

  it("delivers the Promotion Due payload once the check is due by its clock", async () => {
    // Arrange
    await scheduler.schedulePromotion(request);

    // Act: a timer that fires early re-arms; then the clock reaches the due time
    await timers.fireAll();
    const early = [...delivered];
    now = new Date("2026-03-01T12:10:00Z");
    await timers.fireAll();

    // Assert
    expect(early).toEqual([]);
    expect(delivered).toMatchObject([
      {
        id: request.id,
        "detail-type": "Promotion Due",
        detail: { environment: "staging", reason: "soak-elapsed" },
      },
    ]);
    expect(scheduler.waiting()).toEqual([]);
  });

  it("schedules a check with a waiting id once", async () => {
    // Arrange
    await scheduler.schedulePromotion(request);

    // Act
    await scheduler.schedulePromotion(request);
    now = new Date("2026-03-01T12:10:00Z");
    await timers.fireAll();

    // Assert
    expect(delivered).toHaveLength(1);
  });

  it("tries a failed delivery again", async () => {
    // Arrange
    failures = 1;
    now = new Date("2026-03-01T12:10:00Z");
    await scheduler.schedulePromotion(request);

    // Act
    await timers.fireAll();
    await timers.fireAll();

    // Assert
    expect(delivered).toHaveLength(1);
  });

  it("forgets every waiting check on close", async () => {
    // Arrange
    await scheduler.schedulePromotion(request);

    // Act
    scheduler.close();
    now = new Date("2026-03-01T12:10:00Z");
    await timers.fireAll();

    // Assert
    expect(delivered).toEqual([]);
    expect(timers.armed.size).toBe(0);
  });
});
