import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { clusterQueueRule } from "../../../../functions/core/topology/cluster-queue-rule.js";
import { ruleNamed } from "../../../../functions/core/topology/rule-topology.js";
import { matchesPlainPattern } from "./plain-pattern.js";

function syncRequested(cluster: string): Record<string, unknown> {
  return { source: "shipline", "detail-type": "Sync Requested", detail: { app: "api", cluster } };
}

describe("clusterQueueRule", () => {
  it("narrows the cluster-queue rule to the events of one cluster", () => {
    // Act
    const rule = clusterQueueRule("prod-eu");

    // Assert
    expect(rule.name).toBe("cluster-queue-prod-eu-on-sync-requested");
    expect(rule.target).toEqual({ kind: "cluster-queue" });
    expect(matchesPlainPattern(rule.eventPattern, syncRequested("prod-eu"))).toBe(true);
    expect(matchesPlainPattern(rule.eventPattern, syncRequested("prod-us"))).toBe(false);
  });

  it("leaves the shared rule as it was", () => {
    // Arrange
    clusterQueueRule("staging");

    // Act
    const base = ruleNamed("cluster-queue-on-sync-requested");

    // Assert
    expect(base.eventPattern).toEqual({ source: ["shipline"], "detail-type": ["Sync Requested"] });
  });

  it("rejects a cluster name that is not a Shipline resource name", () => {
    // Act
    const build = () => clusterQueueRule("Prod_EU");

    // Assert
    expect(build).toThrow(ShiplineError);
    expect(build).toThrow(/'Prod_EU'.*lower-case/);
  });
});
