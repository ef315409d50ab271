import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import {
  type Cluster,
  type ClusterWorld,
  commitAt,
  SERVICE_ACCOUNT_TOKEN,
  settled,
  startCluster,
  startClusterWorld,
  values,
} from "./cluster-kit.js";

let world: ClusterWorld;
let cluster: Cluster | undefined;

const APPLICATION_PATH = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/demo-dev";

const resource = z.object({
  kind: z.literal("Application"),
  metadata: z.object({ name: z.string(), namespace: z.string() }),
  status: z.object({
    sync: z.object({ status: z.string(), revision: z.string().optional() }),
    health: z.object({ status: z.string() }),
    operationState: z
      .object({ phase: z.string(), operation: z.object({ sync: z.object({ revision: z.string() }) }) })
      .optional(),
  }),
});

/** The Application resource as the stand-in's Kubernetes API serves it. */
async function resourceOf(running: Cluster) {
  const response = await fetch(`${running.argocd?.url}${APPLICATION_PATH}`, {
    headers: { authorization: `Bearer ${SERVICE_ACCOUNT_TOKEN}` },
  });
  return resource.parse(await response.json());
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

describe("the agent in kubernetes mode against the stand-in's Kubernetes API", () => {
  it("syncs an application without auto-sync to the config commit through its operation field and verifies it", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy", mode: "kubernetes" });
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
    expect(z.object({ revision: z.string() }).parse(outcome?.detail).revision).toBe(head);
    const application = await resourceOf(cluster);
    expect(application.metadata).toEqual({ name: "demo-dev", namespace: "argocd" });
    expect(application.status.sync).toEqual({ status: "Synced", revision: head });
    expect(application.status.health.status).toBe("Healthy");
    expect(application.status.operationState).toMatchObject({
      phase: "Succeeded",
      operation: { sync: { revision: head } },
    });
  });

  it("verifies an auto-synced application once a refresh through the annotation has brought the commit", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: true, tag: "healthy", mode: "kubernetes" });
    const head = await commitAt(world, cluster.repository, { "envs/dev/notes.txt": "auto\n" }, new Date());

    // Act
    await cluster.requestSync(head);
    const [outcome] = await cluster.waitForOutcomes(1);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentVerified);
    expect((await resourceOf(cluster)).status.sync).toEqual({ status: "Synced", revision: head });
  });

  it("skips a request older than the revision already verified by the times the requests announced", async () => {
    // Arrange: the Kubernetes API tells no commit times; dispatch-sync's committedAt orders the two
    cluster = await startCluster(world, { automated: false, tag: "healthy", mode: "kubernetes" });
    const olderAt = new Date(Date.now() - 120_000);
    const newerAt = new Date(Date.now() - 60_000);
    const older = await commitAt(world, cluster.repository, { "envs/dev/notes.txt": "older\n" }, olderAt);
    const newer = await commitAt(world, cluster.repository, { "envs/dev/notes.txt": "newer\n" }, newerAt);
    await cluster.requestSync(newer, { committedAt: newerAt });
    await cluster.waitForOutcomes(1);

    // Act
    await cluster.requestSync(older, { committedAt: olderAt });
    await settled(cluster);

    // Assert
    expect(cluster.outcomes).toHaveLength(1);
    expect(cluster.metrics.render()).toContain('shipline_agent_sync_requests_total{outcome="stale"} 1');
    expect((await resourceOf(cluster)).status.sync).toEqual({ status: "Synced", revision: newer });
  });

  it("fails the deployment as Degraded when the image is missing from the registry", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy", mode: "kubernetes" });
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
    const detail = z
      .object({ revision: z.string(), health: z.string(), reason: z.string() })
      .parse(outcome?.detail);
    expect(detail).toMatchObject({ revision: head, health: "Degraded" });
    expect(detail.reason).toContain("ImagePullBackOff");
  });

  it("fails at once, as not found, a request for an application Argo CD's namespace does not hold", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy", mode: "kubernetes" });
    const head = await commitAt(world, cluster.repository, { "envs/dev/notes.txt": "x\n" }, new Date());

    // Act
    await cluster.requestSync(head, { application: "other-team/demo-dev" });
    const [outcome] = await cluster.waitForOutcomes(1);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentFailed);
    expect(z.object({ reason: z.string() }).parse(outcome?.detail).reason).toContain(
      "no Argo CD Application 'other-team/demo-dev' in namespace 'other-team'",
    );
  });

  it("serves Application resources only to a request with a bearer token, and only merge patches", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy", mode: "kubernetes" });
    const url = `${cluster.argocd?.url}${APPLICATION_PATH}`;
    const authorization = `Bearer ${SERVICE_ACCOUNT_TOKEN}`;

    // Act
    const anonymous = await fetch(url);
    const jsonPatch = await fetch(url, {
      method: "PATCH",
      headers: { authorization, "content-type": "application/json-patch+json" },
      body: "[]",
    });
    const list = await fetch(
      `${cluster.argocd?.url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`,
      {
        headers: { authorization },
      },
    );

    // Assert
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    expect(jsonPatch.status).toBe(415);
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({
      kind: "ApplicationList",
      items: [expect.objectContaining({ metadata: expect.objectContaining({ name: "demo-dev" }) })],
    });
  });

  it("writes an Application only at the version read, refusing a patch made on an older one with 409", async () => {
    // Arrange
    cluster = await startCluster(world, { automated: false, tag: "healthy", mode: "kubernetes" });
    const url = `${cluster.argocd?.url}${APPLICATION_PATH}`;
    const headers = {
      authorization: `Bearer ${SERVICE_ACCOUNT_TOKEN}`,
      "content-type": "application/merge-patch+json",
    };
    const read = z
      .object({ metadata: z.object({ resourceVersion: z.string() }) })
      .parse(await (await fetch(url, { headers })).json());
    const patch = (resourceVersion: string) =>
      fetch(url, {
        method: "PATCH",
        headers,
        body: JSON.stringify({
          metadata: { resourceVersion, annotations: { "argocd.argoproj.io/refresh": "normal" } },
        }),
      });

    // Act
    const stale = await patch("0000000000000000");
    const current = await patch(read.metadata.resourceVersion);

    // Assert
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ kind: "Status", reason: "Conflict", code: 409 });
    expect(current.status).toBe(200);
  });
});
