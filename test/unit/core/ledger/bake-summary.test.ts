import { describe, expect, it } from "vitest";
import { bakeSummary } from "../../../../functions/core/ledger/bake-summary.js";
import { ledgerEntryOf } from "../../../../functions/core/ledger/ledger-entry-of.js";

describe("bakeSummary", () => {
  it("tells the window, the check and how often it was read", () => {
    // Act
    const prometheus = bakeSummary({
      window: 300,
      prometheus: { url: "http://prometheus:9090", query: "up == 0" },
      checks: 21,
    });
    const alarm = bakeSummary({ window: 90, cloudwatchAlarm: "shop-5xx", checks: 1 });

    // Assert
    expect(prometheus).toBe("baked 5m on Prometheus query 'up == 0' (21 checks)");
    expect(alarm).toBe("baked 1m30s on CloudWatch alarm shop-5xx (1 check)");
  });
});

describe("the ledger's hop of a baked deployment", () => {
  it("keeps the bake of Deployment Verified, for trace and the timeline", () => {
    // Arrange
    const bake = { window: 120, cloudwatchAlarm: "shop-5xx", checks: 9 };
    const event = {
      version: "0",
      id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
      "detail-type": "Deployment Verified",
      source: "shipline",
      account: "123456789012",
      time: "2026-03-01T12:00:00Z",
      region: "eu-west-1",
      resources: [],
      detail: {
        app: "demo",
        commit: "0123456789abcdef0123456789abcdef01234567",
        correlationId: "corr-1",
        environment: "staging",
        cluster: "local",
        application: "demo-staging",
        revision: "89abcdef0123456789abcdef0123456789abcdef",
        syncStatus: "Synced",
        health: "Healthy",
        bake,
      },
    };

    // Act
    const entry = ledgerEntryOf(event);

    // Assert
    expect(entry.kind === "entry" && entry.hop.bake).toEqual(bake);
  });
});
