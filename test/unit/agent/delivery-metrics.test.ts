import { describe, expect, it } from "vitest";
import { DeliveryMetrics, type DeploymentObservation } from "../../../functions/agent/delivery-metrics.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** A deployment of demo in staging requested at `from`, taken 2 s later and decided at `to`. */
function deployment(
  from: number,
  to: number,
  overrides: Partial<DeploymentObservation> = {},
): DeploymentObservation {
  return {
    app: "demo",
    environment: "staging",
    kind: "update",
    outcome: "verified",
    requestedAt: at(from),
    receivedAt: at(from + 2),
    finishedAt: at(to),
    ...overrides,
  };
}

describe("DeliveryMetrics", () => {
  it("counts deployments by kind and outcome and failures by code, per app and environment", () => {
    // Arrange
    const metrics = new DeliveryMetrics();

    // Act
    metrics.observeDeployment(deployment(0, 30));
    metrics.observeDeployment(deployment(100, 400, { outcome: "failed", code: "METRIC_CHECK_BREACHED" }));
    metrics.observeDeployment(deployment(410, 420, { kind: "revert" }));
    metrics.observeDeployment(deployment(0, 10, { environment: "production" }));
    const text = metrics.render().join("\n");

    // Assert
    expect(text).toContain(
      'shipline_deployments_total{app="demo",environment="staging",kind="update",outcome="verified"} 1',
    );
    expect(text).toContain(
      'shipline_deployments_total{app="demo",environment="staging",kind="update",outcome="failed"} 1',
    );
    expect(text).toContain(
      'shipline_deployments_total{app="demo",environment="staging",kind="revert",outcome="verified"} 1',
    );
    expect(text).toContain(
      'shipline_deployments_total{app="demo",environment="production",kind="update",outcome="verified"} 1',
    );
    expect(text).toContain(
      'shipline_deployment_failures_total{app="demo",environment="staging",code="METRIC_CHECK_BREACHED"} 1',
    );
  });

  it("measures lead time from the config commit to verified, for updates only", () => {
    // Arrange
    const metrics = new DeliveryMetrics();

    // Act
    metrics.observeDeployment(deployment(10, 100, { committedAt: at(0) }));
    metrics.observeDeployment(deployment(200, 600));
    metrics.observeDeployment(deployment(600, 601, { kind: "revert" }));
    const text = metrics.render().join("\n");

    // Assert
    expect(text).toContain(
      'shipline_deployment_lead_time_seconds_bucket{app="demo",environment="staging",le="60"} 0',
    );
    expect(text).toContain(
      'shipline_deployment_lead_time_seconds_bucket{app="demo",environment="staging",le="300"} 1',
    );
    expect(text).toContain(
      'shipline_deployment_lead_time_seconds_bucket{app="demo",environment="staging",le="900"} 2',
    );
    expect(text).toContain(
      'shipline_deployment_lead_time_seconds_bucket{app="demo",environment="staging",le="+Inf"} 2',
    );
    expect(text).toContain('shipline_deployment_lead_time_seconds_sum{app="demo",environment="staging"} 500');
    expect(text).toContain('shipline_deployment_lead_time_seconds_count{app="demo",environment="staging"} 2');
  });

  it("tells lead times and restores of seconds apart, with buckets of 10 s and 30 s", () => {
    // Arrange
    const metrics = new DeliveryMetrics();

    // Act
    metrics.observeDeployment(deployment(0, 5, { outcome: "failed", code: "DEPLOYMENT_UNHEALTHY" }));
    metrics.observeDeployment(deployment(5, 30, { committedAt: at(22) }));
    const text = metrics.render().join("\n");

    // Assert
    const scope = 'app="demo",environment="staging"';
    expect(text).toContain(`shipline_deployment_lead_time_seconds_bucket{${scope},le="10"} 1`);
    expect(text).toContain(`shipline_time_to_restore_seconds_bucket{${scope},le="10"} 0`);
    expect(text).toContain(`shipline_time_to_restore_seconds_bucket{${scope},le="30"} 1`);
  });

  it("keeps a 12-hour bake and a day-long verification apart in the step buckets", () => {
    // Arrange
    const metrics = new DeliveryMetrics();

    // Act
    metrics.observeDeployment(deployment(0, 2 + 43_200 + 60, { bakeSeconds: 43_200 }));
    metrics.observeDeployment(deployment(0, 2 + 80_000, { environment: "production" }));
    const text = metrics.render().join("\n");

    // Assert
    const staging = 'app="demo",environment="staging"';
    const production = 'app="demo",environment="production"';
    expect(text).toContain(`shipline_deployment_step_seconds_bucket{${staging},step="bake",le="21600"} 0`);
    expect(text).toContain(`shipline_deployment_step_seconds_bucket{${staging},step="bake",le="43200"} 1`);
    expect(text).toContain(
      `shipline_deployment_step_seconds_bucket{${production},step="verify",le="43200"} 0`,
    );
    expect(text).toContain(
      `shipline_deployment_step_seconds_bucket{${production},step="verify",le="86400"} 1`,
    );
  });

  it("measures time to restore from the first failure to the next verified deployment, once", () => {
    // Arrange
    const metrics = new DeliveryMetrics();

    // Act
    metrics.observeDeployment(deployment(0, 100, { outcome: "failed", code: "DEPLOYMENT_UNHEALTHY" }));
    metrics.observeDeployment(deployment(150, 200, { outcome: "failed", code: "DEPLOYMENT_UNHEALTHY" }));
    metrics.observeDeployment(deployment(210, 700, { kind: "revert" }));
    metrics.observeDeployment(deployment(800, 900));
    const text = metrics.render().join("\n");

    // Assert
    expect(text).toContain('shipline_time_to_restore_seconds_sum{app="demo",environment="staging"} 600');
    expect(text).toContain('shipline_time_to_restore_seconds_count{app="demo",environment="staging"} 1');
  });

  it("times the queued, verify and bake steps, the bake apart from the verification", () => {
    // Arrange
    const metrics = new DeliveryMetrics();

    // Act
    metrics.observeDeployment(deployment(0, 332, { bakeSeconds: 300 }));
    const text = metrics.render().join("\n");

    // Assert
    expect(text).toContain(
      'shipline_deployment_step_seconds_sum{app="demo",environment="staging",step="queued"} 2',
    );
    expect(text).toContain(
      'shipline_deployment_step_seconds_sum{app="demo",environment="staging",step="verify"} 30',
    );
    expect(text).toContain(
      'shipline_deployment_step_seconds_sum{app="demo",environment="staging",step="bake"} 300',
    );
  });

  it("counts holds by origin, releases, promotion waits and busy waits", () => {
    // Arrange
    const metrics = new DeliveryMetrics();
    const scope = { app: "demo", environment: "production" };

    // Act
    metrics.observeEvent({ type: "hold-placed", ...scope, placedBy: "rollback" });
    metrics.observeEvent({ type: "hold-released", ...scope });
    metrics.observeEvent({ type: "promotion-waiting", ...scope, waitingFor: "soak" });
    metrics.countWait(scope, "application-busy");
    metrics.countWait(scope, "application-busy");
    const text = metrics.render().join("\n");

    // Assert
    expect(text).toContain(
      'shipline_holds_placed_total{app="demo",environment="production",placed_by="rollback"} 1',
    );
    expect(text).toContain('shipline_holds_released_total{app="demo",environment="production"} 1');
    expect(text).toContain(
      'shipline_promotions_waiting_total{app="demo",environment="production",waiting_for="soak"} 1',
    );
    expect(text).toContain(
      'shipline_deployment_waits_total{app="demo",environment="production",reason="application-busy"} 2',
    );
  });

  it("escapes label values as the text format asks", () => {
    // Arrange
    const metrics = new DeliveryMetrics();

    // Act
    metrics.observeDeployment(deployment(0, 1, { outcome: "failed", code: 'odd "code"\\with\nbreaks' }));
    const text = metrics.render().join("\n");

    // Assert
    expect(text).toContain('code="odd \\"code\\"\\\\with\\nbreaks"} 1');
  });

  it("exports every known label combination of an app and environment at 0 when first seen, and keeps counts after", () => {
    // Arrange
    const metrics = new DeliveryMetrics();

    // Act
    metrics.observeScope({ app: "demo", environment: "staging" });
    const before = metrics.render();
    metrics.observeDeployment(deployment(0, 30, { outcome: "failed", code: "CANARY_FAILED" }));
    metrics.observeScope({ app: "demo", environment: "staging" });
    const after = metrics.render().join("\n");

    // Assert
    const scope = 'app="demo",environment="staging"';
    expect(before).toEqual(
      expect.arrayContaining([
        `shipline_deployments_total{${scope},kind="update",outcome="verified"} 0`,
        `shipline_deployments_total{${scope},kind="update",outcome="failed"} 0`,
        `shipline_deployments_total{${scope},kind="revert",outcome="verified"} 0`,
        `shipline_deployments_total{${scope},kind="revert",outcome="failed"} 0`,
        `shipline_deployment_failures_total{${scope},code="DEPLOYMENT_UNHEALTHY"} 0`,
        `shipline_deployment_failures_total{${scope},code="CANARY_FAILED"} 0`,
        `shipline_deployment_failures_total{${scope},code="VERIFY_DEADLINE_PASSED"} 0`,
        `shipline_deployment_failures_total{${scope},code="METRIC_CHECK_BREACHED"} 0`,
        `shipline_deployment_failures_total{${scope},code="METRIC_CHECK_UNREACHABLE"} 0`,
        `shipline_deployment_waits_total{${scope},reason="application-busy"} 0`,
        `shipline_holds_placed_total{${scope},placed_by="rollback"} 0`,
        `shipline_holds_placed_total{${scope},placed_by="person"} 0`,
        `shipline_holds_released_total{${scope}} 0`,
        `shipline_promotions_waiting_total{${scope},waiting_for="approval"} 0`,
        `shipline_promotions_waiting_total{${scope},waiting_for="soak"} 0`,
        `shipline_promotions_waiting_total{${scope},waiting_for="hold"} 0`,
      ]),
    );
    expect(after).toContain(`shipline_deployments_total{${scope},kind="update",outcome="failed"} 1`);
    expect(after).toContain(`shipline_deployment_failures_total{${scope},code="CANARY_FAILED"} 1`);
    expect(after).toContain(`shipline_deployments_total{${scope},kind="update",outcome="verified"} 0`);
  });

  it("exports a scope's counters at 0 on its first deployment too, so other outcomes start from a sample", () => {
    // Arrange
    const metrics = new DeliveryMetrics();

    // Act
    metrics.observeDeployment(deployment(0, 30));
    const text = metrics.render().join("\n");

    // Assert
    expect(text).toContain(
      'shipline_deployments_total{app="demo",environment="staging",kind="update",outcome="failed"} 0',
    );
  });
});
