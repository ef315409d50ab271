import { describe, expect, it } from "vitest";
import {
  type ArgoRollout,
  argoRollout,
  type RolloutRef,
} from "../../../../functions/core/agent/argo-rollout.js";
import type { ArgoCdApi } from "../../../../functions/core/agent/argocd-api.js";
import {
  type ArgoCdApplication,
  argoCdApplication,
} from "../../../../functions/core/agent/argocd-application.js";
import { RevisionOrder } from "../../../../functions/core/agent/revision-order.js";
import type { RolloutsApi } from "../../../../functions/core/agent/rollouts-api.js";
import { VerifiedRevisions } from "../../../../functions/core/agent/verified-revisions.js";
import { verifyDeployment } from "../../../../functions/core/agent/verify-deployment.js";
import { deploymentFailedDetail } from "../../../../functions/core/contracts/events/deployment-failed.js";
import { deploymentVerifiedDetail } from "../../../../functions/core/contracts/events/deployment-verified.js";
import {
  type SyncRequested,
  syncRequestedDetail,
} from "../../../../functions/core/contracts/events/sync-requested.js";
import { readFixture } from "../../../read-fixture.js";
import { InMemoryPublisher } from "../../handlers/shared/step-test-kit.js";

const REVISION = "2222222222222222222222222222222222222222";
const IMAGE = "127.0.0.1:5000/demo:1.0.1-1a2b3c4";
const NOW = new Date("2026-03-01T12:00:00Z");

const fixture = (name: string) => argoRollout.parse(readFixture(`argocd/rollout.${name}.json`));

/** The canary of the fixtures at `index`, reporting `weight`. */
function progressingAt(index: number, weight: number): ArgoRollout {
  const base = fixture("canary-progressing");
  return argoRollout.parse({
    ...base,
    status: { ...base.status, currentStepIndex: index, canary: { weights: { canary: { weight } } } },
  });
}

/** An application Synced at `revision` (the requested one by default) whose one Rollout has the given health. */
function application(health: string, revision = REVISION): ArgoCdApplication {
  return argoCdApplication.parse({
    metadata: { name: "demo-staging", namespace: "argocd" },
    spec: { source: { path: "envs/staging", targetRevision: "main" }, syncPolicy: { automated: {} } },
    status: {
      sync: { status: "Synced", revision },
      health: { status: health },
      resources: [
        {
          group: "argoproj.io",
          version: "v1alpha1",
          kind: "Rollout",
          namespace: "demo-staging",
          name: "demo",
          health: { status: health },
        },
      ],
      summary: { images: [IMAGE] },
    },
  });
}

/** Argo CD and Argo Rollouts answering each poll with the next pair of a script (the last repeats). */
class ScriptedCluster implements ArgoCdApi, RolloutsApi {
  readonly promotions: RolloutRef[] = [];
  readonly #script: { application: ArgoCdApplication; rollout: ArgoRollout }[];
  #current: { application: ArgoCdApplication; rollout: ArgoRollout };

  constructor(script: readonly { application: ArgoCdApplication; rollout: ArgoRollout }[]) {
    this.#script = [...script];
    const first = this.#script.shift();
    if (first === undefined) throw new Error("the script is empty");
    this.#current = first;
  }

  async getApplication(): Promise<ArgoCdApplication> {
    return this.#current.application;
  }

  async getRollout(): Promise<ArgoRollout> {
    const rollout = this.#current.rollout;
    this.#current = this.#script.shift() ?? this.#current;
    return rollout;
  }

  async promoteRollout(_application: string, ref: RolloutRef): Promise<void> {
    this.promotions.push(ref);
  }

  async syncApplication(): Promise<void> {}

  async revisionMetadata(): Promise<{ date: string }> {
    return { date: "2026-03-01T11:59:00Z" };
  }
}

function syncRequest(overrides: Partial<SyncRequested> = {}): SyncRequested {
  return syncRequestedDetail.parse({
    app: "demo",
    commit: "0123456789abcdef0123456789abcdef01234567",
    correlationId: "corr-1",
    environment: "staging",
    cluster: "local",
    application: "demo-staging",
    revision: REVISION,
    deadline: "2026-03-01T12:01:00Z",
    tag: "1.0.1-1a2b3c4",
    ...overrides,
  });
}

/** Runs the use case with a clock that moves by each sleep (polls every 20 s). */
async function verify(cluster: ScriptedCluster, request = syncRequest()) {
  const publisher = new InMemoryPublisher();
  let now = NOW.getTime();
  const result = await verifyDeployment({
    request,
    requestedAt: NOW,
    argocd: cluster,
    rollouts: cluster,
    publisher,
    clock: { now: () => new Date(now) },
    verified: new VerifiedRevisions(),
    order: new RevisionOrder(cluster),
    sleep: async (milliseconds) => {
      now += milliseconds;
    },
    pollIntervalMs: 20_000,
  });
  return { result, publisher };
}

describe("verifyDeployment with an Argo Rollouts canary", () => {
  it("records each step of a canary that completes and verifies it, past the request's own deadline", async () => {
    // Arrange: five steps, 20 s apart: the canary ends at 12:01:20, after the 12:01:00 deadline.
    const cluster = new ScriptedCluster([
      { application: application("Progressing"), rollout: progressingAt(0, 20) },
      { application: application("Suspended"), rollout: fixture("canary-paused") },
      { application: application("Progressing"), rollout: progressingAt(2, 50) },
      { application: application("Progressing"), rollout: progressingAt(4, 50) },
      { application: application("Healthy"), rollout: fixture("canary-healthy") },
    ]);

    // Act
    const { result, publisher } = await verify(
      cluster,
      syncRequest({ rollout: { promotePauses: true, until: "2026-03-01T13:00:00Z" } }),
    );

    // Assert
    expect(result).toEqual({ outcome: "verified" });
    const verified = deploymentVerifiedDetail.parse(publisher.details("Deployment Verified")[0]);
    expect(verified.canary?.rollout).toBe("demo-staging/demo");
    expect(
      verified.canary?.steps.map((step) => [step.index, step.kind, step.weight, step.paused, step.promoted]),
    ).toEqual([
      [0, "setWeight", 20, undefined, undefined],
      [1, "pause", 20, true, true],
      [2, "setWeight", 50, undefined, undefined],
      // The timed pause ran between two reads: recorded as passed.
      [3, "pause", 50, undefined, undefined],
      [4, "analysis", 50, undefined, undefined],
      [5, "done", 100, undefined, undefined],
    ]);
    expect(cluster.promotions).toEqual([{ name: "demo", namespace: "demo-staging" }]);
  });

  it("records the steps a canary passed before the first read found it mid-way, but none for a first rollout that skipped them", async () => {
    // Arrange: one canary first read at its second setWeight; another first read past its last step.
    const midway = new ScriptedCluster([
      { application: application("Progressing"), rollout: progressingAt(2, 50) },
      { application: application("Healthy"), rollout: fixture("canary-healthy") },
    ]);
    const skipped = new ScriptedCluster([
      { application: application("Healthy"), rollout: fixture("canary-healthy") },
    ]);

    // Act
    const first = await verify(midway);
    const second = await verify(skipped);

    // Assert
    const steps = (publisher: InMemoryPublisher) =>
      deploymentVerifiedDetail
        .parse(publisher.details("Deployment Verified")[0])
        .canary?.steps.map((step) => [step.index, step.kind, step.weight]);
    expect(steps(first.publisher)).toEqual([
      [0, "setWeight", 20],
      [1, "pause", 20],
      [2, "setWeight", 50],
      [3, "pause", 50],
      [4, "analysis", 50],
      [5, "done", 100],
    ]);
    expect(steps(second.publisher)).toEqual([[5, "done", 100]]);
  });

  it("waits at a pause: {} step without promoting it when the environment does not say so, and fails at the deadline saying why", async () => {
    // Arrange
    const cluster = new ScriptedCluster([
      { application: application("Progressing"), rollout: progressingAt(0, 20) },
      { application: application("Suspended"), rollout: fixture("canary-paused") },
    ]);

    // Act
    const { result, publisher } = await verify(cluster);

    // Assert
    expect(result.outcome).toBe("failed");
    expect(cluster.promotions).toEqual([]);
    const failed = deploymentFailedDetail.parse(publisher.details("Deployment Failed")[0]);
    expect(failed.reason).toContain(
      "the Rollout demo-staging/demo was paused at step 2/5, pause (weight 20%)",
    );
    expect(failed.reason).toContain("waiting for a promotion");
    // The pause was seen at 12:00:20: the deadline moved to 12:01:20.
    expect(failed.reason).toContain("the deadline 2026-03-01T12:01:20.000Z passed");
  });

  it("fails an aborted canary with the Rollout's message, so the rollback runs", async () => {
    // Arrange
    const cluster = new ScriptedCluster([
      { application: application("Progressing"), rollout: progressingAt(0, 20) },
      { application: application("Degraded"), rollout: fixture("canary-aborted") },
    ]);

    // Act
    const { result, publisher } = await verify(cluster);

    // Assert
    expect(result.outcome).toBe("failed");
    const failed = deploymentFailedDetail.parse(publisher.details("Deployment Failed")[0]);
    expect(failed.reason).toMatch(
      /^the Rollout demo-staging\/demo was aborted at step 5\/5: RolloutAborted: Rollout aborted update to revision 4/,
    );
    expect(failed.canary).toMatchObject({ rollout: "demo-staging/demo", aborted: true });
    expect(failed.canary?.steps.map((step) => step.index)).toEqual([0, 4]);
  });

  it("follows the canary at a later commit of a shared config repository that still deploys the requested image", async () => {
    // Arrange
    const later = "3333333333333333333333333333333333333333";
    const cluster = new ScriptedCluster([
      { application: application("Progressing", later), rollout: progressingAt(0, 20) },
      { application: application("Healthy", later), rollout: progressingAt(2, 50) },
      { application: application("Healthy", later), rollout: fixture("canary-healthy") },
    ]);

    // Act
    const { result, publisher } = await verify(cluster);

    // Assert
    expect(result).toEqual({ outcome: "verified", syncedRevision: later });
    const verified = deploymentVerifiedDetail.parse(publisher.details("Deployment Verified")[0]);
    expect(verified.canary?.steps.map((step) => step.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("verifies a Rollout without steps as a plain rollout, once Argo CD says Healthy", async () => {
    // Arrange
    const cluster = new ScriptedCluster([
      { application: application("Healthy"), rollout: fixture("no-steps") },
    ]);

    // Act
    const { result, publisher } = await verify(cluster);

    // Assert
    expect(result).toEqual({ outcome: "verified" });
    expect(publisher.details("Deployment Verified")[0]).not.toHaveProperty("canary");
  });
});
