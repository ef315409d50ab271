import { describe, expect, it } from "vitest";
import { LocalMessageQueue } from "../../../functions/adapters/local/local-message-queue.js";
import { AgentMetrics } from "../../../functions/agent/agent-metrics.js";
import { SyncAgent } from "../../../functions/agent/sync-agent.js";
import type { ArgoCdApi } from "../../../functions/core/agent/argocd-api.js";
import type { ArgoCdApplication } from "../../../functions/core/agent/argocd-application.js";
import { InMemoryPublisher, shiplineEvent } from "../handlers/shared/step-test-kit.js";

const REVISION = "89abcdef0123456789abcdef0123456789abcdef";

/** An Argo CD whose application never gets anywhere, counting the syncs asked for. */
class ProgressingArgoCd implements ArgoCdApi {
  syncs: string[] = [];
  read = 0;

  async getApplication(name: string): Promise<ArgoCdApplication> {
    this.read += 1;
    return {
      metadata: { name },
      status: { sync: { status: "OutOfSync", revision: REVISION }, health: { status: "Progressing" } },
    };
  }

  async syncApplication(_name: string, options: { readonly revision: string }): Promise<void> {
    this.syncs.push(options.revision);
  }

  async revisionMetadata(): Promise<{ date: string }> {
    return { date: "2026-03-01T12:00:00Z" };
  }
}

function request(): string {
  return JSON.stringify(
    shiplineEvent("Sync Requested", {
      app: "demo",
      commit: "0123456789abcdef0123456789abcdef01234567",
      correlationId: "corr-1",
      environment: "dev",
      cluster: "local",
      application: "demo-dev",
      revision: REVISION,
      deadline: new Date(Date.now() + 600_000).toISOString(),
    }),
  );
}

describe("SyncAgent", () => {
  it("on stop, puts the request it was watching back on the queue at once, unanswered", async () => {
    // Arrange
    const queue = new LocalMessageQueue({ name: "cluster-local", visibilityTimeoutSeconds: 600 });
    const argocd = new ProgressingArgoCd();
    const publisher = new InMemoryPublisher();
    const agent = new SyncAgent({
      queue,
      argocd,
      publisher,
      metrics: new AgentMetrics(),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      waitTimeSeconds: 1,
      pollIntervalMs: 20,
    });
    await queue.send({ body: request() });
    const running = agent.run();
    while (argocd.read < 3) await new Promise((resolve) => setTimeout(resolve, 10));

    // Act
    await agent.stop();
    await running;

    // Assert
    expect(argocd.syncs).toEqual([REVISION]);
    expect(publisher.published).toEqual([]);
    expect(queue.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(agent.health().live).toBe(false);
  });

  it("deletes a message that is not a sync request instead of retrying it forever", async () => {
    // Arrange
    const queue = new LocalMessageQueue({ name: "cluster-local" });
    const metrics = new AgentMetrics();
    const agent = new SyncAgent({
      queue,
      argocd: new ProgressingArgoCd(),
      publisher: new InMemoryPublisher(),
      metrics,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      waitTimeSeconds: 1,
    });
    await queue.send({ body: "not json" });

    // Act
    const running = agent.run();
    while (!metrics.render().includes('outcome="invalid"'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    await agent.stop();
    await running;

    // Assert
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});
