import { describe, expect, it } from "vitest";
import { AgentMetrics } from "../../../functions/agent/agent-metrics.js";

describe("AgentMetrics", () => {
  it("renders counters and a cumulative histogram in Prometheus' text format", () => {
    // Arrange
    const metrics = new AgentMetrics();

    // Act
    metrics.countRequest("verified", 12);
    metrics.countRequest("failed", 400);
    metrics.countRequest("duplicate");
    metrics.countArgoCdError("ARGOCD_UNREACHABLE");
    metrics.setInFlight(2);
    const text = metrics.render();

    // Assert
    expect(text).toContain('shipline_agent_sync_requests_total{outcome="verified"} 1');
    expect(text).toContain('shipline_agent_sync_requests_total{outcome="duplicate"} 1');
    expect(text).toContain('shipline_agent_verification_seconds_bucket{le="5"} 0');
    expect(text).toContain('shipline_agent_verification_seconds_bucket{le="15"} 1');
    expect(text).toContain('shipline_agent_verification_seconds_bucket{le="600"} 2');
    expect(text).toContain('shipline_agent_verification_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain("shipline_agent_verification_seconds_sum 412");
    expect(text).toContain('shipline_agent_argocd_errors_total{code="ARGOCD_UNREACHABLE"} 1');
    expect(text).toContain("shipline_agent_in_flight_requests 2");
    expect(text.endsWith("\n")).toBe(true);
  });
});
