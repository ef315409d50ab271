import { describe, expect, it } from "vitest";
import { LocalMessageQueue } from "../../../functions/adapters/local/local-message-queue.js";
import { AgentMetrics } from "../../../functions/agent/agent-metrics.js";
import { SyncAgent } from "../../../functions/agent/sync-agent.js";
import type { ArgoCdApi } from "../../../functions/core/agent/argocd-api.js";
import type { ArgoCdApplication } from "../../../functions/core/agent/argocd-application.js";
import { InMemoryPublisher, shiplineEvent } from "../handlers/shared/step-test-kit.js";

const REVISION = "89abcdef0123456789abcdef0123456789abcdef";

/** An Argo CD whose application is Synced and Healthy at the revision, with auto-sync. */
const healthy: ArgoCdApi = {
  getApplication: async (name): Promise<ArgoCdApplication> => ({
    metadata: { name },
    spec: { syncPolicy: { automated: {} } },
    status: { sync: { status: "Synced", revision: REVISION }, health: { status: "Healthy" } },
  }),
  syncApplication: async () => undefined,
  revisionMetadata: async () => ({ date: "2026-03-01T12:00:00Z" }),
};

function message(detailType: string, detail: Record<string, unknown>): string {
  return JSON.stringify(
    shiplineEvent(detailType, {
      app: "demo",
      commit: "0123456789abcdef0123456789abcdef01234567",
      correlationId: "corr-1",
      environment: "staging",
      ...detail,
    }),
  );
}

async function runUntil(
  queue: LocalMessageQueue,
  metrics: AgentMetrics,
  until: (text: string) => boolean,
  argocd: ArgoCdApi = healthy,
) {
  const agent = new SyncAgent({
    queue,
    argocd,
    publisher: new InMemoryPublisher(),
    metrics,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    waitTimeSeconds: 1,
    pollIntervalMs: 20,
  });
  const running = agent.run();
  const started = Date.now();
  while (!until(metrics.render()) && Date.now() - started < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await agent.stop();
  await running;
  return metrics.render();
}

describe("SyncAgent's delivery metrics", () => {
  it("counts the deployment it verified per app and environment, with its lead time and steps", async () => {
    // Arrange
    const queue = new LocalMessageQueue({ name: "cluster-local" });
    const metrics = new AgentMetrics();
    await queue.send({
      body: message("Sync Requested", {
        cluster: "local",
        application: "demo-staging",
        revision: REVISION,
        deadline: new Date(Date.now() + 600_000).toISOString(),
        committedAt: new Date(Date.now() - 30_000).toISOString(),
      }),
    });

    // Act
    const text = await runUntil(queue, metrics, (rendered) => rendered.includes('outcome="verified"} 1'));

    // Assert
    expect(text).toContain(
      'shipline_deployments_total{app="demo",environment="staging",kind="update",outcome="verified"} 1',
    );
    expect(text).toContain(
      'shipline_deployment_lead_time_seconds_bucket{app="demo",environment="staging",le="60"} 1',
    );
    expect(text).toContain(
      'shipline_deployment_lead_time_seconds_bucket{app="demo",environment="staging",le="+Inf"} 1',
    );
    expect(text).toContain(
      'shipline_deployment_step_seconds_count{app="demo",environment="staging",step="verify"} 1',
    );
  });

  it("counts the holds and waits of the cluster's environments that reach its queue, and deletes them", async () => {
    // Arrange
    const queue = new LocalMessageQueue({ name: "cluster-local" });
    const metrics = new AgentMetrics();
    await queue.send({ body: message("Hold Placed", { reason: "deployment failed", placedBy: "rollback" }) });
    await queue.send({ body: message("Hold Placed", { reason: "pinned", placedBy: "Alice Operator" }) });
    await queue.send({ body: message("Hold Released", { releasedBy: "alice" }) });
    await queue.send({
      body: message("Promotion Waiting", {
        environment: "production",
        digest: `sha256:${"a".repeat(64)}`,
        tag: "1.0.0-0123456",
        waitingFor: "approval",
        reason: "production waits for a manual approval",
      }),
    });

    // Act
    const text = await runUntil(queue, metrics, (rendered) => rendered.includes('waiting_for="approval"} 1'));

    // Assert
    expect(text).toContain(
      'shipline_holds_placed_total{app="demo",environment="staging",placed_by="rollback"} 1',
    );
    expect(text).toContain(
      'shipline_holds_placed_total{app="demo",environment="staging",placed_by="person"} 1',
    );
    expect(text).toContain('shipline_holds_released_total{app="demo",environment="staging"} 1');
    expect(text).toContain(
      'shipline_promotions_waiting_total{app="demo",environment="production",waiting_for="approval"} 1',
    );
    expect(text).not.toContain('outcome="invalid"');
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("exports the deployment counters of an app and environment at 0 as soon as it takes their first request", async () => {
    // Arrange: Argo CD never reports the application Healthy, so no outcome is published
    const progressing: ArgoCdApi = {
      ...healthy,
      getApplication: async (name) => ({
        metadata: { name },
        spec: { syncPolicy: { automated: {} } },
        status: { sync: { status: "Synced", revision: REVISION }, health: { status: "Progressing" } },
      }),
    };
    const queue = new LocalMessageQueue({ name: "cluster-local" });
    const metrics = new AgentMetrics();
    await queue.send({
      body: message("Sync Requested", {
        cluster: "local",
        application: "demo-staging",
        revision: REVISION,
        deadline: new Date(Date.now() + 600_000).toISOString(),
      }),
    });

    // Act
    const text = await runUntil(
      queue,
      metrics,
      (rendered) => rendered.includes("shipline_deployments_total{"),
      progressing,
    );

    // Assert
    for (const kind of ["update", "revert"]) {
      for (const outcome of ["verified", "failed"]) {
        expect(text).toContain(
          `shipline_deployments_total{app="demo",environment="staging",kind="${kind}",outcome="${outcome}"} 0`,
        );
      }
    }
    expect(text).toContain(
      'shipline_deployment_failures_total{app="demo",environment="staging",code="DEPLOYMENT_UNHEALTHY"} 0',
    );
    expect(text).toContain(
      'shipline_deployment_waits_total{app="demo",environment="staging",reason="application-busy"} 0',
    );
  });

  it("counts a request that waits for a busy application once, however often it is put back", async () => {
    // Arrange: the first revision never becomes Healthy, so the application stays busy with it
    const busy: ArgoCdApi = {
      ...healthy,
      getApplication: async (name) => ({
        metadata: { name },
        spec: { syncPolicy: { automated: {} } },
        status: { sync: { status: "OutOfSync", revision: REVISION }, health: { status: "Progressing" } },
      }),
    };
    const queue = new LocalMessageQueue({ name: "cluster-local" });
    const metrics = new AgentMetrics();
    const deadline = new Date(Date.now() + 600_000).toISOString();
    const request = { cluster: "local", application: "demo-staging", deadline };
    await queue.send({ body: message("Sync Requested", { ...request, revision: REVISION }) });
    await queue.send({ body: message("Sync Requested", { ...request, revision: "f".repeat(40) }) });
    let putBack = 0;
    const agent = new SyncAgent({
      queue,
      argocd: busy,
      publisher: new InMemoryPublisher(),
      metrics,
      logger: {
        info: (text) => {
          if (text.startsWith("Application busy")) putBack += 1;
        },
        warn: () => undefined,
        error: () => undefined,
      },
      waitTimeSeconds: 1,
      pollIntervalMs: 20,
      busyDelaySeconds: 1,
    });

    // Act
    const running = agent.run();
    const started = Date.now();
    while (putBack < 2 && Date.now() - started < 4_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await agent.stop();
    await running;

    // Assert
    expect(putBack).toBeGreaterThanOrEqual(2);
    expect(metrics.render()).toContain(
      'shipline_deployment_waits_total{app="demo",environment="staging",reason="application-busy"} 1',
    );
  });
});
