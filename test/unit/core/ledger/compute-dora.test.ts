import { describe, expect, it } from "vitest";
import { computeDora, doraInputsOf, percentile } from "../../../../functions/core/ledger/compute-dora.js";
import type { DeploymentRecord } from "../../../../functions/core/ledger/deployment-record.js";
import { productionEnvironments } from "../../../../functions/core/ledger/production-environments.js";

const window = { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-11T00:00:00Z") };

function outcome(at: string, changes: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    app: "web",
    environment: "production",
    production: true,
    outcome: "verified",
    kind: "update",
    commit: "f485fcc95a795517f279d0a877227e51208b0dfc",
    at,
    eventId: `event-${at}`,
    ...changes,
  };
}

describe("computeDora", () => {
  it("computes deployment frequency, lead time, change-failure rate and time to restore over the window", () => {
    // Arrange
    const records = [
      outcome("2026-03-01T10:00:00Z", { leadTimeSeconds: 600 }),
      outcome("2026-03-02T10:00:00Z", { leadTimeSeconds: 300 }),
      outcome("2026-03-03T10:00:00Z", { outcome: "failed" }),
      outcome("2026-03-03T10:20:00Z", { kind: "revert", restoreSeconds: 1200 }),
      outcome("2026-03-05T10:00:00Z", { leadTimeSeconds: 900 }),
      outcome("2026-03-06T10:00:00Z", { leadTimeSeconds: 60 }),
      outcome("2026-03-06T11:00:00Z", { environment: "staging", production: false, outcome: "failed" }),
      outcome("2026-02-20T10:00:00Z", { leadTimeSeconds: 99_999 }),
    ];

    // Act
    const dora = computeDora({ ...doraInputsOf(records), window });

    // Assert
    expect(dora).toEqual({
      window: { from: "2026-03-01T00:00:00.000Z", to: "2026-03-11T00:00:00.000Z", days: 10 },
      deployments: 4,
      deploymentsPerDay: 0.4,
      leadTime: { count: 4, medianSeconds: 300, p90Seconds: 900 },
      failures: 1,
      changeFailureRate: 0.2,
      timeToRestore: { count: 1, medianSeconds: 1200, p90Seconds: 1200 },
    });
  });

  it("leaves the rate and durations out when nothing was deployed", () => {
    // Act
    const dora = computeDora({ deployments: [], failures: [], restores: [], window });

    // Assert
    expect(dora).toMatchObject({
      deployments: 0,
      deploymentsPerDay: 0,
      leadTime: { count: 0 },
      timeToRestore: { count: 0 },
    });
    expect(dora.changeFailureRate).toBeUndefined();
  });
});

describe("percentile", () => {
  it("takes the nearest rank", () => {
    // Act
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

    // Assert
    expect([
      percentile(values, 50),
      percentile(values, 90),
      percentile(values, 100),
      percentile([], 50),
    ]).toEqual([50, 90, 100, undefined]);
  });
});

describe("productionEnvironments", () => {
  it("counts the last environment of each promotion path as production", () => {
    // Act
    const linear = productionEnvironments([
      { name: "staging" },
      { name: "production", promoteFrom: "staging" },
    ]);
    const fanOut = productionEnvironments([
      { name: "staging" },
      { name: "prod-eu", promoteFrom: "staging" },
      { name: "prod-us", promoteFrom: "staging" },
    ]);

    // Assert
    expect([...linear]).toEqual(["production"]);
    expect([...fanOut]).toEqual(["prod-eu", "prod-us"]);
  });
});
