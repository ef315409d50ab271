import { describe, expect, it } from "vitest";
import type { ArgoCdApi } from "../../../../functions/core/agent/argocd-api.js";
import {
  type ArgoCdApplication,
  argoCdApplication,
} from "../../../../functions/core/agent/argocd-application.js";
import { RevisionOrder } from "../../../../functions/core/agent/revision-order.js";
import { VerifiedRevisions } from "../../../../functions/core/agent/verified-revisions.js";
import { verifyDeployment } from "../../../../functions/core/agent/verify-deployment.js";
import {
  type SyncRequested,
  syncRequestedDetail,
} from "../../../../functions/core/contracts/events/sync-requested.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { InMemoryPublisher } from "../../handlers/shared/step-test-kit.js";

/** An older config commit of the same app. */
const OLDER = "1111111111111111111111111111111111111111";
/** The requested config commit. */
const REQUESTED = "2222222222222222222222222222222222222222";
/** A later config commit: another app's, or a newer one of this app. */
const LATER = "3333333333333333333333333333333333333333";
/** A commit written in the same second as the requested one. */
const SAME_SECOND = "4444444444444444444444444444444444444444";

const DATES: Readonly<Record<string, string>> = {
  [OLDER]: "2026-03-01T12:00:00Z",
  [REQUESTED]: "2026-03-01T12:00:05Z",
  [SAME_SECOND]: "2026-03-01T12:00:05Z",
  [LATER]: "2026-03-01T12:00:09Z",
};

const TAG = "1.0.0-abcdef1";
const REQUESTED_IMAGE = `127.0.0.1:5000/demo:${TAG}`;
const NEWER_IMAGE = "127.0.0.1:5000/demo:1.0.1-fedcba9";
const NOW = new Date("2026-03-01T12:00:10Z");

/** An Application of `envs/staging` tracking `main`, with auto-sync when asked, and the given status. */
function application(
  status: Record<string, unknown>,
  options: { automated?: boolean } = {},
): ArgoCdApplication {
  return argoCdApplication.parse({
    metadata: { name: "demo-staging", namespace: "argocd" },
    spec: {
      source: {
        repoURL: "https://git.example.com/acme/config.git",
        path: "envs/staging",
        targetRevision: "main",
      },
      ...(options.automated ? { syncPolicy: { automated: { prune: true } } } : {}),
    },
    status,
  });
}

/** Status of an application Synced at `revision`, running `image`, with the given health. */
function at(revision: string, image: string, health = "Healthy", sync = "Synced"): Record<string, unknown> {
  return {
    sync: { status: sync, revision },
    health: { status: health, ...(health === "Degraded" ? { message: "CrashLoopBackOff" } : {}) },
    summary: { images: [image, "docker.io/library/redis:7"] },
  };
}

/**
 * An Argo CD answering reads with a script of states (the last one repeats); a sync moves on to
 * the states given for it. Revision times come from {@link DATES}.
 */
class ScriptedArgoCd implements ArgoCdApi {
  readonly syncs: string[] = [];
  #states: ArgoCdApplication[];
  readonly #afterSync: readonly ArgoCdApplication[];

  constructor(states: readonly ArgoCdApplication[], afterSync: readonly ArgoCdApplication[] = []) {
    this.#states = [...states];
    this.#afterSync = afterSync;
  }

  async getApplication(): Promise<ArgoCdApplication> {
    const next = this.#states.length > 1 ? this.#states.shift() : this.#states[0];
    if (next === undefined) throw new Error("the script has no state");
    return next;
  }

  async syncApplication(_name: string, options: { readonly revision: string }): Promise<void> {
    this.syncs.push(options.revision);
    if (this.#afterSync.length > 0) this.#states = [...this.#afterSync];
  }

  async revisionMetadata(_name: string, revision: string): Promise<{ date: string }> {
    const date = DATES[revision];
    if (date === undefined) {
      throw new ShiplineError({ code: "ARGOCD_REQUEST_REJECTED", message: `no revision ${revision}` });
    }
    return { date };
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
    revision: REQUESTED,
    deadline: "2026-03-01T12:05:00Z",
    tag: TAG,
    ...overrides,
  });
}

/** Runs the use case against a scripted Argo CD with a clock that moves 5s per sleep. */
async function verify(
  argocd: ScriptedArgoCd,
  options: { request?: SyncRequested; verified?: VerifiedRevisions } = {},
) {
  const publisher = new InMemoryPublisher();
  let now = NOW.getTime();
  const result = await verifyDeployment({
    request: options.request ?? syncRequest(),
    requestedAt: NOW,
    argocd,
    publisher,
    clock: { now: () => new Date(now) },
    verified: options.verified ?? new VerifiedRevisions(),
    order: new RevisionOrder(argocd),
    sleep: async (milliseconds) => {
      now += milliseconds;
    },
    pollIntervalMs: 5000,
  });
  return { result, publisher };
}

describe("verifyDeployment", () => {
  it("verifies the exact revision once the application is Synced and Healthy there, as before", async () => {
    // Arrange
    const argocd = new ScriptedArgoCd([application(at(REQUESTED, REQUESTED_IMAGE))]);

    // Act
    const { result, publisher } = await verify(argocd);

    // Assert
    expect(result).toEqual({ outcome: "verified" });
    const [detail] = publisher.details("Deployment Verified");
    expect(detail).toMatchObject({ revision: REQUESTED, syncStatus: "Synced", health: "Healthy" });
    expect(detail).not.toHaveProperty("syncedRevision");
    expect(argocd.syncs).toEqual([]);
  });

  it("verifies the request at a later commit that still deploys its image, without syncing back to it", async () => {
    // Arrange
    const argocd = new ScriptedArgoCd([application(at(LATER, REQUESTED_IMAGE))]);

    // Act
    const { result, publisher } = await verify(argocd);

    // Assert
    expect(result).toEqual({ outcome: "verified", syncedRevision: LATER });
    expect(publisher.details("Deployment Verified")).toEqual([
      expect.objectContaining({ revision: REQUESTED, syncedRevision: LATER }),
    ]);
    expect(argocd.syncs).toEqual([]);
  });

  it("counts a later commit of the same second as containing the request (git times are in seconds)", async () => {
    // Arrange
    const argocd = new ScriptedArgoCd([application(at(SAME_SECOND, REQUESTED_IMAGE))]);

    // Act
    const { result } = await verify(argocd);

    // Assert
    expect(result).toEqual({ outcome: "verified", syncedRevision: SAME_SECOND });
  });

  it("matches the requested image by digest when the running reference is pinned", async () => {
    // Arrange
    const digest = `sha256:${"a".repeat(64)}`;
    const argocd = new ScriptedArgoCd([application(at(LATER, `127.0.0.1:5000/demo@${digest}`))]);

    // Act
    const { result } = await verify(argocd, { request: syncRequest({ tag: "other-tag", digest }) });

    // Assert
    expect(result).toEqual({ outcome: "verified", syncedRevision: LATER });
  });

  it.each([
    ["without auto-sync", false],
    ["with auto-sync", true],
  ])(
    "supersedes the request, publishing nothing, when a later commit deploys another image of the app (%s)",
    async (_title, automated) => {
      // Arrange
      const argocd = new ScriptedArgoCd([application(at(LATER, NEWER_IMAGE), { automated })]);

      // Act
      const { result, publisher } = await verify(argocd);

      // Assert
      expect(result).toEqual({ outcome: "superseded", current: LATER });
      expect(publisher.published).toEqual([]);
      expect(argocd.syncs).toEqual([]);
    },
  );

  it("skips a request older than the revision this agent verified last, as before", async () => {
    // Arrange
    const verified = new VerifiedRevisions();
    verified.record("demo-staging", LATER, NOW);
    const argocd = new ScriptedArgoCd([application(at(LATER, NEWER_IMAGE))]);

    // Act
    const { result, publisher } = await verify(argocd, { verified });

    // Assert
    expect(result).toEqual({ outcome: "stale", current: LATER });
    expect(publisher.published).toEqual([]);
    expect(argocd.syncs).toEqual([]);
  });

  it("skips a request that names no image when Argo CD runs a later commit, as before", async () => {
    // Arrange
    const argocd = new ScriptedArgoCd([application(at(LATER, REQUESTED_IMAGE))]);

    // Act
    const { result, publisher } = await verify(argocd, { request: syncRequest({ tag: undefined }) });

    // Assert
    expect(result).toEqual({ outcome: "stale", current: LATER });
    expect(publisher.published).toEqual([]);
  });

  it("fails the request when the later commit that still deploys its image is Degraded", async () => {
    // Arrange
    const argocd = new ScriptedArgoCd([application(at(LATER, REQUESTED_IMAGE, "Degraded"))]);

    // Act
    const { result, publisher } = await verify(argocd);

    // Assert
    expect(result).toMatchObject({ outcome: "failed", reason: expect.stringContaining("Degraded at") });
    expect(publisher.details("Deployment Failed")).toEqual([
      expect.objectContaining({ revision: REQUESTED, health: "Degraded", syncStatus: "Synced" }),
    ]);
    expect(argocd.syncs).toEqual([]);
  });

  it("waits while the later commit that deploys the image is progressing, then verifies it", async () => {
    // Arrange
    const argocd = new ScriptedArgoCd([
      application(at(LATER, REQUESTED_IMAGE, "Progressing")),
      application(at(LATER, REQUESTED_IMAGE, "Progressing")),
      application(at(LATER, REQUESTED_IMAGE)),
    ]);

    // Act
    const { result } = await verify(argocd);

    // Assert
    expect(result).toEqual({ outcome: "verified", syncedRevision: LATER });
    expect(argocd.syncs).toEqual([]);
  });

  it("syncs an application without auto-sync to the request when it is at an older commit", async () => {
    // Arrange
    const argocd = new ScriptedArgoCd(
      [application(at(OLDER, "127.0.0.1:5000/demo:0.9.0"))],
      [application(at(REQUESTED, REQUESTED_IMAGE))],
    );

    // Act
    const { result } = await verify(argocd);

    // Assert
    expect(argocd.syncs).toEqual([REQUESTED]);
    expect(result).toEqual({ outcome: "verified" });
  });

  it("syncs to the request when the later commit is OutOfSync, and verifies the image its own sync rolled out", async () => {
    // Arrange: the head already asks for a newer image of the app, so Argo CD stays OutOfSync there
    const succeeded = {
      phase: "Succeeded",
      operation: { sync: { revision: REQUESTED } },
      syncResult: { revision: REQUESTED },
    };
    const argocd = new ScriptedArgoCd(
      [application(at(LATER, "127.0.0.1:5000/demo:0.9.0", "Healthy", "OutOfSync"))],
      [
        application({ ...at(LATER, REQUESTED_IMAGE, "Progressing", "OutOfSync"), operationState: succeeded }),
        application({ ...at(LATER, REQUESTED_IMAGE, "Healthy", "OutOfSync"), operationState: succeeded }),
      ],
    );

    // Act
    const { result, publisher } = await verify(argocd);

    // Assert
    expect(argocd.syncs).toEqual([REQUESTED]);
    expect(result).toEqual({ outcome: "verified" });
    expect(publisher.details("Deployment Verified")).toEqual([
      expect.objectContaining({ revision: REQUESTED }),
    ]);
  });

  it("leaves an auto-synced application to Argo CD while it is OutOfSync at the later commit", async () => {
    // Arrange
    const argocd = new ScriptedArgoCd([
      application(at(LATER, "127.0.0.1:5000/demo:0.9.0", "Healthy", "OutOfSync"), { automated: true }),
      application(at(LATER, REQUESTED_IMAGE), { automated: true }),
    ]);

    // Act
    const { result } = await verify(argocd);

    // Assert
    expect(argocd.syncs).toEqual([]);
    expect(result).toEqual({ outcome: "verified", syncedRevision: LATER });
  });
});
