import { describe, expect, it } from "vitest";
import type { ArgoCdApi } from "../../../../functions/core/agent/argocd-api.js";
import { argoCdApplication } from "../../../../functions/core/agent/argocd-application.js";
import type { MetricChecks, MetricReading } from "../../../../functions/core/agent/metric-checks.js";
import { RevisionOrder } from "../../../../functions/core/agent/revision-order.js";
import { VerifiedRevisions } from "../../../../functions/core/agent/verified-revisions.js";
import { verifyDeployment } from "../../../../functions/core/agent/verify-deployment.js";
import {
  type SyncRequested,
  syncRequestedDetail,
} from "../../../../functions/core/contracts/events/sync-requested.js";
import { InMemoryPublisher } from "../../handlers/shared/step-test-kit.js";

const REVISION = "2222222222222222222222222222222222222222";
const NOW = new Date("2026-03-01T12:00:10Z");
const BAKE = { window: 300, cloudwatchAlarm: "shop-5xx" };

/** The application as Argo CD reports it, Synced and Healthy at the requested revision unless told. */
function application(status: { sync?: string; revision?: string; health?: string; message?: string } = {}) {
  return argoCdApplication.parse({
    metadata: { name: "demo-staging", namespace: "argocd" },
    spec: {
      source: {
        repoURL: "https://git.example.com/acme/config.git",
        path: "envs/staging",
        targetRevision: "main",
      },
      syncPolicy: { automated: {} },
    },
    status: {
      sync: { status: status.sync ?? "Synced", revision: status.revision ?? REVISION },
      health: { status: status.health ?? "Healthy", ...(status.message ? { message: status.message } : {}) },
      summary: { images: ["127.0.0.1:5000/demo:1.0.0-abcdef1"] },
    },
  });
}

/** An Argo CD answering the given applications in turn (the last one repeats). */
function argoCd(...applications: ReturnType<typeof application>[]): ArgoCdApi & { reads: number } {
  return {
    reads: 0,
    async getApplication() {
      this.reads += 1;
      const next = applications[Math.min(this.reads, applications.length) - 1];
      if (next === undefined) throw new Error("no application scripted");
      return next;
    },
    syncApplication: async () => undefined,
    revisionMetadata: async () => ({ date: "2026-03-01T12:00:05Z" }),
  };
}

/** An Argo CD whose application is Synced and Healthy at the requested revision. */
const healthyArgoCd: ArgoCdApi = argoCd(application());

function request(overrides: Partial<SyncRequested> = {}): SyncRequested {
  return syncRequestedDetail.parse({
    app: "demo",
    commit: "0123456789abcdef0123456789abcdef01234567",
    correlationId: "corr-1",
    environment: "staging",
    cluster: "local",
    application: "demo-staging",
    revision: REVISION,
    deadline: "2026-03-01T12:05:00Z",
    tag: "1.0.0-abcdef1",
    bake: BAKE,
    ...overrides,
  });
}

async function verify(readings: readonly MetricReading[], syncRequest = request(), argocd = healthyArgoCd) {
  const publisher = new InMemoryPublisher();
  const reads: string[] = [];
  const queue = [...readings];
  const metricChecks: MetricChecks = {
    read: async (check) => {
      reads.push(check.cloudwatchAlarm ?? "?");
      return (queue.length > 1 ? queue.shift() : queue[0]) ?? { state: "unknown", says: "none" };
    },
  };
  let now = NOW.getTime();
  const result = await verifyDeployment({
    request: syncRequest,
    requestedAt: NOW,
    argocd,
    publisher,
    clock: { now: () => new Date(now) },
    verified: new VerifiedRevisions(),
    order: new RevisionOrder(argocd),
    sleep: async (milliseconds) => {
      now += milliseconds;
    },
    metricChecks,
    bakeIntervalMs: 60_000,
  });
  return { result, publisher, reads };
}

describe("verifyDeployment with a metric gate", () => {
  it("publishes Deployment Verified only after the bake held, recording the bake", async () => {
    // Act
    const { result, publisher, reads } = await verify([{ state: "healthy", says: "is OK" }]);

    // Assert
    expect(result).toEqual({ outcome: "verified", bakeSeconds: 300 });
    expect(reads).toEqual(["shop-5xx", "shop-5xx", "shop-5xx", "shop-5xx", "shop-5xx", "shop-5xx"]);
    expect(publisher.details("Deployment Verified")).toEqual([
      expect.objectContaining({ revision: REVISION, bake: { ...BAKE, checks: 6 }, durationSeconds: 300 }),
    ]);
    expect(publisher.details("Deployment Failed")).toEqual([]);
  });

  it("publishes Deployment Failed with METRIC_CHECK_BREACHED when the alarm fires during the window", async () => {
    // Act
    const { result, publisher } = await verify([
      { state: "healthy", says: "is OK" },
      { state: "breached", says: "is in ALARM since 2026-03-01T12:01:00.000Z: Threshold Crossed" },
    ]);

    // Assert
    expect(result).toMatchObject({ outcome: "failed", code: "METRIC_CHECK_BREACHED", bakeSeconds: 60 });
    expect(publisher.details("Deployment Verified")).toEqual([]);
    expect(publisher.details("Deployment Failed")).toEqual([
      expect.objectContaining({
        revision: REVISION,
        code: "METRIC_CHECK_BREACHED",
        reason:
          "the metric check breached 1m into the 5m bake: CloudWatch alarm shop-5xx is in ALARM since 2026-03-01T12:01:00.000Z: Threshold Crossed",
        bake: { ...BAKE, checks: 2 },
        syncStatus: "Synced",
        health: "Healthy",
      }),
    ]);
  });

  it("publishes Deployment Failed with METRIC_CHECK_UNREACHABLE when the check never answers", async () => {
    // Act
    const { publisher } = await verify([{ state: "unknown", says: "DescribeAlarms failed (AccessDenied)" }]);

    // Assert
    expect(publisher.details("Deployment Failed")).toEqual([
      expect.objectContaining({
        code: "METRIC_CHECK_UNREACHABLE",
        reason: expect.stringContaining("fail closed"),
      }),
    ]);
  });

  it("reads the application again after a passed bake and fails it as DEPLOYMENT_UNHEALTHY when it went Degraded meanwhile", async () => {
    // Arrange: Synced and Healthy when the bake starts, Degraded when it ends
    const argocd = argoCd(
      application(),
      application({ health: "Degraded", message: "Deployment demo exceeded its progress deadline" }),
    );

    // Act
    const { result, publisher } = await verify([{ state: "healthy", says: "is OK" }], request(), argocd);

    // Assert
    const reason = `after the 5m bake the application is no longer Synced and Healthy at ${REVISION} (`;
    expect(argocd.reads).toBe(2);
    expect(result).toMatchObject({
      outcome: "failed",
      code: "DEPLOYMENT_UNHEALTHY",
      reason: expect.stringContaining(reason),
      bakeSeconds: 300,
    });
    expect(publisher.details("Deployment Verified")).toEqual([]);
    expect(publisher.details("Deployment Failed")).toEqual([
      expect.objectContaining({
        revision: REVISION,
        code: "DEPLOYMENT_UNHEALTHY",
        reason: expect.stringContaining(reason),
        bake: { ...BAKE, checks: 6 },
        health: "Degraded",
      }),
    ]);
  });

  it("fails a passed bake when the application is OutOfSync at its end, saying what Argo CD reports", async () => {
    // Arrange
    const argocd = argoCd(application(), application({ sync: "OutOfSync" }));

    // Act
    const { result, publisher } = await verify([{ state: "healthy", says: "is OK" }], request(), argocd);

    // Assert
    expect(result).toMatchObject({
      outcome: "failed",
      code: "DEPLOYMENT_UNHEALTHY",
      reason: `after the 5m bake the application is no longer Synced and Healthy at ${REVISION} (sync OutOfSync at ${REVISION}, health Healthy)`,
    });
    expect(publisher.details("Deployment Verified")).toEqual([]);
  });

  it("verifies at once, without reading a check, when the request carries no bake", async () => {
    // Act
    const { result, reads } = await verify(
      [{ state: "breached", says: "in ALARM" }],
      request({ bake: undefined }),
    );

    // Assert
    expect(result).toEqual({ outcome: "verified" });
    expect(reads).toEqual([]);
  });
});
