import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { clusterObservationRule } from "../../../../functions/core/topology/cluster-observation-rule.js";
import { matchesPlainPattern } from "./plain-pattern.js";

function event(detailType: string, environment: string): Record<string, unknown> {
  return { source: "shipline", "detail-type": detailType, detail: { app: "api", environment } };
}

describe("clusterObservationRule", () => {
  it("sends the holds and promotion waits of the cluster's environments, and nothing else, to its queue", () => {
    // Act
    const rule = clusterObservationRule("prod-eu", ["production", "production-eu"]);

    // Assert
    expect(rule?.name).toBe("cluster-queue-prod-eu-on-holds-and-waits");
    expect(rule?.target).toEqual({ kind: "cluster-queue" });
    const matches = (detailType: string, environment: string) =>
      rule !== undefined && matchesPlainPattern(rule.eventPattern, event(detailType, environment));
    expect(matches("Hold Placed", "production")).toBe(true);
    expect(matches("Hold Released", "production-eu")).toBe(true);
    expect(matches("Promotion Waiting", "production")).toBe(true);
    expect(matches("Hold Placed", "staging")).toBe(false);
    expect(matches("Deployment Verified", "production")).toBe(false);
  });

  it("is not needed for a cluster that runs no environment", () => {
    // Act
    const rule = clusterObservationRule("spare", []);

    // Assert
    expect(rule).toBeUndefined();
  });

  it("refuses a cluster name the configuration could not have", () => {
    // Act
    const build = () => clusterObservationRule("Prod_EU", ["production"]);

    // Assert
    expect(build).toThrow(ShiplineError);
  });
});
