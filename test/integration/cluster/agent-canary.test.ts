import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import { deploymentFailedDetail } from "../../../functions/core/contracts/events/deployment-failed.js";
import { deploymentVerifiedDetail } from "../../../functions/core/contracts/events/deployment-verified.js";
import {
  type Cluster,
  type ClusterWorld,
  commitAt,
  settled,
  startCluster,
  startClusterWorld,
  values,
} from "./cluster-kit.js";

let world: ClusterWorld;
let cluster: Cluster | undefined;

/** A Rollout of the demo app in `envs/dev`: 25%, a pause a person (or the agent) promotes, 75%. */
const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demo
spec:
  replicas: 4
  selector:
    matchLabels:
      app: demo
  strategy:
    canary:
      steps:
        - setWeight: 25
        - pause: {}
        - setWeight: 75
        - pause:
            duration: 1s
`;

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

/** Deploys the first version with the Rollout (a first rollout skips its steps) and answers the cluster. */
async function runningCanary(mode: "api-token" | "kubernetes"): Promise<Cluster> {
  const running = await startCluster(world, {
    automated: false,
    tag: "healthy",
    mode,
    canaryStepMs: 200,
    readinessTimeoutMs: 3000,
  });
  const first = await commitAt(world, running.repository, { "envs/dev/rollout.yaml": ROLLOUT }, new Date());
  await running.requestSync(first);
  const [outcome] = await running.waitForOutcomes(1);
  expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentVerified);
  return running;
}

describe("the agent and an Argo Rollouts canary in the Argo CD stand-in", () => {
  it.each(["api-token", "kubernetes"] as const)(
    "records each step of a canary it promotes, and verifies it once complete (%s mode)",
    async (mode) => {
      // Arrange
      cluster = await runningCanary(mode);
      const next = await commitAt(
        world,
        cluster.repository,
        { "envs/dev/values.yaml": values(world.registry, "next") },
        new Date(Date.now() + 1000),
      );

      // Act
      await cluster.requestSync(next, {
        rollout: { promotePauses: true, until: new Date(Date.now() + 120_000) },
      });
      const [, outcome] = await cluster.waitForOutcomes(2);

      // Assert
      expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentVerified);
      const detail = deploymentVerifiedDetail.parse(outcome?.detail);
      expect(detail.revision).toBe(next);
      expect(detail.canary?.rollout).toBe("demo/demo");
      const steps = detail.canary?.steps ?? [];
      expect(steps.find((step) => step.kind === "pause" && step.index === 1)).toMatchObject({
        paused: true,
        promoted: true,
        weight: 25,
      });
      expect(steps.some((step) => step.kind === "setWeight" && step.weight === 75)).toBe(true);
      expect(steps.at(-1)).toMatchObject({ kind: "done", index: 4, total: 4, weight: 100 });
      expect(cluster.argocd?.serving("demo-dev")?.revision).toBe(next);
      await settled(cluster);
    },
  );

  it("waits at a pause nobody promotes and fails at the deadline, saying where the canary stands", async () => {
    // Arrange
    cluster = await runningCanary("api-token");
    const next = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": values(world.registry, "next") },
      new Date(Date.now() + 1000),
    );

    // Act
    await cluster.requestSync(next, { tag: "next", deadline: new Date(Date.now() + 3000) });
    const [, outcome] = await cluster.waitForOutcomes(2);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentFailed);
    const detail = deploymentFailedDetail.parse(outcome?.detail);
    expect(detail.health).toBe("Suspended");
    expect(detail.reason).toContain("the Rollout demo/demo was paused at step 2/4, pause (weight 25%)");
    expect(detail.reason).toContain("waiting for a promotion");
    await settled(cluster);
  });

  it("fails an aborted canary with the Rollout's message, the stable version serving on", async () => {
    // Arrange
    cluster = await runningCanary("api-token");
    const stable = cluster.argocd?.serving("demo-dev")?.revision;
    const next = await commitAt(
      world,
      cluster.repository,
      { "envs/dev/values.yaml": values(world.registry, "unhealthy") },
      new Date(Date.now() + 1000),
    );

    // Act
    await cluster.requestSync(next, { tag: "unhealthy" });
    const [, outcome] = await cluster.waitForOutcomes(2);

    // Assert
    expect(outcome?.["detail-type"]).toBe(DetailType.DeploymentFailed);
    const detail = deploymentFailedDetail.parse(outcome?.detail);
    expect(detail.reason).toMatch(
      /^the Rollout demo\/demo was aborted at step 1\/4: RolloutAborted: Rollout aborted update to revision 2: the canary did not answer \/health with 2xx/,
    );
    expect(detail.canary).toMatchObject({ rollout: "demo/demo", aborted: true });
    expect(detail.resources).toEqual([
      expect.objectContaining({ kind: "Rollout", name: "demo", health: "Degraded" }),
    ]);
    expect(cluster.argocd?.serving("demo-dev")?.revision).toBe(stable);
    await settled(cluster);
  });
});
