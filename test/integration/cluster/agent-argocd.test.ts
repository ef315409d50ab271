import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import {
  type Cluster,
  type ClusterWorld,
  commitAt,
  settled,
  startCluster,
  startClusterWorld,
  TOKEN,
  values,
} from "./cluster-kit.js";

let world: ClusterWorld;
let cluster: Cluster | undefined;

const failedDetail = z.object({
  revision: z.string(),
  reason: z.string(),
  health: z.string().optional(),
  resources: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      health: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});

const verifiedDetail = z.object({
  revision: z.string(),
  syncedRevision: z.string().optional(),
  syncStatus: z.literal("Synced"),
  health: z.literal("Healthy"),
});

/** The application as the stand-in serves it now; with `refresh`, after it re-read git. */
async function applicationOf(running: Cluster, options: { readonly refresh?: boolean } = {}) {
  const query = options.refresh ? "?refresh=normal" : "";
  const response = await fetch(`${running.argocd?.url}/api/v1/applications/demo-dev${query}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return z
    .object({
      status: z.object({
        sync: z.object({ status: z.string(), revision: z.string().optional() }),
        health: z.object({ status: z.string() }),
        summary: z.object({ images: z.array(z.string()).optional() }),
      }),
    })
    .parse(await response.json());
}

beforeAll(async () => {
  world = await startClusterWorld();
});

afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

afterAll(async () => {
  await world.stop();
});

describe("the agent against the Argo CD stand-in", () => {
  it("syncs an application without auto-sync to the config commit and verifies it Synced and Healthy", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy" });
    const head = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": `${values(world.registry, "healthy")}# bump\n` },
      new Date(),
    );

    // Act
    await cluster.requestSync(head);
    const [outcome] = await cluster.waitForOutcomes(1);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentVerified);
    expect(verifiedDetail.parse(outcome?.detail).revision).toBe(head);
    const application = await applicationOf(cluster);
    expect(application.status.sync).toEqual({ status: "Synced", revision: head });
    expect(application.status.health.status).toBe("Healthy");
    expect(application.status.summary.images).toEqual([`${world.registry.host}/demo:healthy`]);
    await settled(cluster);
  });

  it("verifies an auto-synced application once Argo CD has synced it to the config commit", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: true, tag: "healthy" });
    const head = await commitAt(world, cluster.repository, { "envs/dev/notes.txt": "auto\n" }, new Date());

    // Act
    await cluster.requestSync(head);
    const [outcome] = await cluster.waitForOutcomes(1);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentVerified);
    expect(verifiedDetail.parse(outcome?.detail).revision).toBe(head);
  });

  it("fails the deployment as Degraded when the image is missing from the registry", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy" });
    const head = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": values(world.registry, "missing") },
      new Date(),
    );

    // Act
    await cluster.requestSync(head, { tag: "missing" });
    const [outcome] = await cluster.waitForOutcomes(1);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentFailed);
    const detail = failedDetail.parse(outcome?.detail);
    expect(detail.revision).toBe(head);
    expect(detail.health).toBe("Degraded");
    expect(detail.reason).toContain("ImagePullBackOff");
    expect(detail.resources).toEqual([
      expect.objectContaining({
        kind: "Deployment",
        name: "demo-dev",
        health: "Degraded",
        message: expect.stringContaining(":missing"),
      }),
    ]);
  });

  it("fails the deployment as Degraded when the new version's /health never answers 2xx", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy", readinessTimeoutMs: 1500 });
    const head = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": values(world.registry, "unhealthy") },
      new Date(),
    );

    // Act
    await cluster.requestSync(head);
    const [outcome] = await cluster.waitForOutcomes(1);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentFailed);
    const detail = failedDetail.parse(outcome?.detail);
    expect(detail.reason).toContain("Readiness probe failed");
    expect(detail.resources[0]?.message).toContain("GET /health");
  });

  it("fails the deployment when the deadline passes while the application is still progressing", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy", readinessTimeoutMs: 120_000 });
    const head = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": values(world.registry, "slow") },
      new Date(),
    );

    // Act
    await cluster.requestSync(head, { deadline: new Date(Date.now() + 3000) });
    const [outcome] = await cluster.waitForOutcomes(1);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentFailed);
    const detail = failedDetail.parse(outcome?.detail);
    expect(detail.reason).toContain("deadline");
    expect(detail.health).toBe("Progressing");
  });

  it("puts the request back while Argo CD is down and verifies it once Argo CD is back", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy" });
    const port = cluster.argocd?.port;
    await cluster.argocd?.close();
    const head = await commitAt(world, cluster.repository, { "envs/dev/notes.txt": "down\n" }, new Date());

    // Act
    await cluster.requestSync(head);
    while (
      !cluster.metrics.render().includes('shipline_agent_argocd_errors_total{code="ARGOCD_UNREACHABLE"}')
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const outcomesWhileDown = cluster.outcomes.length;
    await cluster.startArgoCd({ ...(port === undefined ? {} : { port }) });
    const [outcome] = await cluster.waitForOutcomes(1);

    // Assert
    expect(outcomesWhileDown).toBe(0);
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentVerified);
    expect(cluster.metrics.render()).toContain('shipline_agent_sync_requests_total{outcome="released"}');
  });

  it("publishes one outcome for a request delivered twice", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy" });
    const head = await commitAt(world, cluster.repository, { "envs/dev/notes.txt": "twice\n" }, new Date());

    // Act
    await cluster.requestSync(head);
    await cluster.requestSync(head);
    await cluster.waitForOutcomes(1);
    await settled(cluster);

    // Assert
    expect(cluster.outcomes.map((event) => event["detail-type"])).toEqual([DetailType.DeploymentVerified]);
    expect(cluster.metrics.render()).toContain('shipline_agent_sync_requests_total{outcome="duplicate"} 1');
  });

  it("skips a request older than the revision already verified, leaving the newer one deployed", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy" });
    const older = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/notes.txt": "older\n" },
      new Date(Date.now() - 120_000),
    );
    const newer = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/notes.txt": "newer\n" },
      new Date(Date.now() - 60_000),
    );
    await cluster.requestSync(newer);
    await cluster.waitForOutcomes(1);

    // Act
    await cluster.requestSync(older);
    await settled(cluster);

    // Assert
    expect(cluster.outcomes).toHaveLength(1);
    expect(cluster.metrics.render()).toContain('shipline_agent_sync_requests_total{outcome="stale"} 1');
    expect((await applicationOf(cluster)).status.sync.revision).toBe(newer);
  });
});

describe("the Argo CD stand-in in a config repository shared by several apps", () => {
  /** Deploys `envs/dev` at a new commit with the healthy image; answers that commit once verified. */
  async function deployHealthy(running: Cluster): Promise<string> {
    const deployed = await commitAt(
      world,
      running.repository,
      { "envs/dev/values.yaml": values(world.registry, "healthy") },
      new Date(Date.now() - 60_000),
    );
    await running.requestSync(deployed);
    await running.waitForOutcomes(1);
    await settled(running);
    return deployed;
  }

  it("keeps an application Synced when another app's file changes, reporting the new head as its revision", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "slow" });
    await deployHealthy(cluster);
    const other = await commitAt(
      world,
      cluster.repository,
      { "envs/other/values.yaml": values(world.registry, "unhealthy") },
      new Date(Date.now() - 30_000),
    );

    // Act
    const application = await applicationOf(cluster, { refresh: true });

    // Assert
    expect(application.status.sync).toEqual({ status: "Synced", revision: other });
    expect(application.status.health.status).toBe("Healthy");
    expect(application.status.summary.images).toEqual([`${world.registry.host}/demo:healthy`]);
  });

  it("puts an application OutOfSync when a commit changes its own image, still showing the image it runs", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "slow" });
    await deployHealthy(cluster);
    const bump = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": values(world.registry, "unhealthy") },
      new Date(Date.now() - 30_000),
    );

    // Act
    const application = await applicationOf(cluster, { refresh: true });

    // Assert
    expect(application.status.sync).toEqual({ status: "OutOfSync", revision: bump });
    expect(application.status.summary.images).toEqual([`${world.registry.host}/demo:healthy`]);
  });

  it("verifies a request for the commit that another app's later commit contains, keeping the requested revision", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "slow" });
    const requested = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": values(world.registry, "healthy") },
      new Date(Date.now() - 60_000),
    );
    const other = await commitAt(
      world,
      cluster.repository,
      { "envs/other/values.yaml": values(world.registry, "unhealthy") },
      new Date(Date.now() - 30_000),
    );

    // Act
    await cluster.requestSync(requested, { tag: "healthy" });
    const [outcome] = await cluster.waitForOutcomes(1);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentVerified);
    const detail = verifiedDetail.parse(outcome?.detail);
    expect(detail.revision).toBe(requested);
    expect([undefined, other]).toContain(detail.syncedRevision);
    expect((await applicationOf(cluster, { refresh: true })).status.sync).toEqual({
      status: "Synced",
      revision: other,
    });
    await settled(cluster);
  });

  it("supersedes a request, publishing nothing, once a later commit of the same app runs another image", async () => {
    // Arrange: Argo CD auto-syncs the head, which replaced the requested image with another one
    cluster = await startCluster(world, { automated: true, tag: "slow" });
    const replaced = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": values(world.registry, "unhealthy") },
      new Date(Date.now() - 60_000),
    );
    const newer = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": values(world.registry, "healthy") },
      new Date(Date.now() - 30_000),
    );
    for (;;) {
      const { status } = await applicationOf(cluster, { refresh: true });
      if (
        status.sync.status === "Synced" &&
        status.sync.revision === newer &&
        status.health.status === "Healthy"
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Act
    await cluster.requestSync(replaced, { tag: "unhealthy" });
    while (!cluster.metrics.render().includes('outcome="superseded"'))
      await new Promise((resolve) => setTimeout(resolve, 50));
    await settled(cluster);

    // Assert
    expect(cluster.outcomes).toEqual([]);
    expect(cluster.metrics.render()).toContain('shipline_agent_sync_requests_total{outcome="superseded"} 1');
    expect((await applicationOf(cluster)).status.summary.images).toEqual([
      `${world.registry.host}/demo:healthy`,
    ]);
  });
});
