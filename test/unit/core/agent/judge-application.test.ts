import { describe, expect, it } from "vitest";
import {
  type ArgoCdApplication,
  argoCdApplication,
} from "../../../../functions/core/agent/argocd-application.js";
import { judgeApplication } from "../../../../functions/core/agent/judge-application.js";
import { readFixture } from "../../../read-fixture.js";

/** The config revision the Application fixture is synced to. */
const REVISION = "20f38a548a5c363f7be9b3dba994774efa6aa47c";
const PREVIOUS_REVISION = "f92e0ed5e0507d1ac84f81ffa489f349709633fc";

/** The Application fixture (Synced and Healthy at REVISION), with its status changed as a test needs. */
function application(status: Record<string, unknown>): ArgoCdApplication {
  const synced = argoCdApplication.parse(readFixture("argocd/application.synced-healthy.json"));
  return argoCdApplication.parse({ ...synced, status: { ...synced.status, ...status } });
}

describe("judgeApplication", () => {
  it("verifies the revision once the application is Synced and Healthy at it", () => {
    // Act
    const judgement = judgeApplication({ application: application({}), revision: REVISION });

    // Assert
    expect(judgement).toEqual({ state: "verified" });
  });

  it("keeps waiting while the application reports another revision than its finished sync", () => {
    // Act
    const judgement = judgeApplication({
      application: application({ sync: { status: "Synced", revision: PREVIOUS_REVISION } }),
      revision: REVISION,
    });

    // Assert
    expect(judgement).toEqual({ state: "waiting", syncedByOperation: true });
  });

  it("keeps waiting for a newer revision than the one the application runs", () => {
    // Arrange
    const newer = "c9261d2b243fb49b3d856c08699ce5fc6ae17000";

    // Act
    const judgement = judgeApplication({ application: application({}), revision: newer });

    // Assert
    expect(judgement).toEqual({ state: "waiting", syncedByOperation: false });
  });

  it("fails the revision when its sync operation failed, naming the resources that did not sync", () => {
    // Act
    const judgement = judgeApplication({
      application: application({
        operationState: {
          phase: "Failed",
          message: "one or more objects failed to apply",
          syncResult: {
            revision: REVISION,
            resources: [
              {
                kind: "Deployment",
                name: "web",
                namespace: "prod",
                status: "SyncFailed",
                message: "admission webhook denied",
              },
            ],
          },
        },
      }),
      revision: REVISION,
    });

    // Assert
    expect(judgement).toEqual({
      state: "failed",
      reason: `the sync to ${REVISION} ended Failed: one or more objects failed to apply`,
      resources: [
        {
          kind: "Deployment",
          name: "web",
          namespace: "prod",
          health: "SyncFailed",
          message: "admission webhook denied",
        },
      ],
    });
  });

  it("fails the revision when it is applied but Degraded, naming the unhealthy resources", () => {
    // Act
    const judgement = judgeApplication({
      application: application({
        sync: { status: "Synced", revision: REVISION },
        health: { status: "Degraded" },
        resources: [
          { kind: "Service", name: "web", namespace: "prod", health: { status: "Healthy" } },
          {
            kind: "Deployment",
            name: "web",
            namespace: "prod",
            health: { status: "Degraded", message: "ImagePullBackOff" },
          },
        ],
      }),
      revision: REVISION,
    });

    // Assert
    expect(judgement).toMatchObject({
      state: "failed",
      resources: [
        {
          kind: "Deployment",
          name: "web",
          namespace: "prod",
          health: "Degraded",
          message: "ImagePullBackOff",
        },
      ],
    });
  });

  it("waits rather than fails while the revision is not applied yet, whatever the old version's health", () => {
    // Act
    const judgement = judgeApplication({
      application: application({
        sync: { status: "OutOfSync", revision: REVISION },
        health: { status: "Degraded" },
      }),
      revision: REVISION,
    });

    // Assert
    expect(judgement.state).toBe("waiting");
  });

  it("waits while an operation runs, telling which revision it syncs", () => {
    // Act
    const judgement = judgeApplication({
      application: application({
        sync: { status: "Synced", revision: REVISION },
        operationState: { phase: "Running", operation: { sync: { revision: REVISION } } },
      }),
      revision: REVISION,
    });

    // Assert
    expect(judgement).toEqual({ state: "waiting", runningRevision: REVISION, syncedByOperation: false });
  });
});
