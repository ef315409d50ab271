import { describe, expect, it } from "vitest";
import { planSweep, sweepSince } from "../../../../functions/core/images/plan-sweep.js";
import { digestOf } from "./image-test-kit.js";

const NOW = new Date("2026-03-01T12:00:00Z");

function image(char: string, pushedAt: string) {
  return { repository: "demo", digest: digestOf(char), tags: [char], pushedAt: new Date(pushedAt) };
}

describe("planSweep", () => {
  it("announces the settled images never seen, oldest first, and moves the watermark to the settle line", () => {
    // Arrange
    const images = [
      image("b", "2026-03-01T11:50:00Z"),
      image("a", "2026-03-01T11:40:00Z"),
      image("c", "2026-03-01T11:45:00Z"),
    ];

    // Act
    const plan = planSweep({
      images,
      watermark: new Date("2026-03-01T11:30:00Z"),
      seen: new Set([digestOf("c")]),
      now: NOW,
      settleSeconds: 120,
      lookbackSeconds: 3600,
    });

    // Assert
    expect(plan.toAnnounce.map((entry) => entry.digest)).toEqual([digestOf("a"), digestOf("b")]);
    expect(plan.watermark.toISOString()).toBe("2026-03-01T11:58:00.000Z");
  });

  it("leaves images younger than the settle time to their own event and to the next sweep", () => {
    // Arrange
    const fresh = image("f", "2026-03-01T11:59:30Z");

    // Act
    const plan = planSweep({
      images: [fresh],
      watermark: undefined,
      seen: new Set(),
      now: NOW,
      settleSeconds: 120,
      lookbackSeconds: 3600,
    });
    const next = planSweep({
      images: [fresh],
      watermark: plan.watermark,
      seen: new Set(),
      now: new Date("2026-03-01T12:05:00Z"),
      settleSeconds: 120,
      lookbackSeconds: 3600,
    });

    // Assert
    expect(plan.toAnnounce).toEqual([]);
    expect(plan.deferred).toEqual([fresh]);
    expect(plan.watermark.getTime()).toBeLessThanOrEqual(fresh.pushedAt.getTime());
    expect(next.toAnnounce).toEqual([fresh]);
  });

  it("never moves the watermark back", () => {
    // Act
    const plan = planSweep({
      images: [],
      watermark: new Date("2026-03-01T13:00:00Z"),
      seen: new Set(),
      now: NOW,
      settleSeconds: 120,
      lookbackSeconds: 3600,
    });

    // Assert
    expect(plan.watermark.toISOString()).toBe("2026-03-01T13:00:00.000Z");
  });

  it("ignores images older than the watermark or the first sweep's lookback", () => {
    // Arrange
    const old = image("o", "2026-03-01T10:00:00Z");

    // Act
    const first = planSweep({
      images: [old],
      watermark: undefined,
      seen: new Set(),
      now: NOW,
      settleSeconds: 120,
      lookbackSeconds: 3600,
    });

    // Assert
    expect(first.toAnnounce).toEqual([]);
    expect(sweepSince({ watermark: undefined, now: NOW, lookbackSeconds: 3600 }).toISOString()).toBe(
      "2026-03-01T11:00:00.000Z",
    );
  });
});
