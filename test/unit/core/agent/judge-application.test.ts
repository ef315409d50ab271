import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type ArgoCdApplication,
  argoCdApplication,
} from "../../../../functions/core/agent/argocd-application.js";
import { judgeApplication } from "../../../../functions/core/agent/judge-application.js";

const fixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../../shared/fixtures/argocd/argocd-application.synced-healthy.argo-cd-testdata.json",
);
const REVISION = "ea8759964626a583667a2bfd08f334ec2070040a";

/** The real Application, with its status changed as a test needs. */
function application(status: Record<string, unknown>): ArgoCdApplication {
  const real = argoCdApplication.parse(JSON.parse(readFileSync(fixture, "utf8")));
  return argoCdApplication.parse({ ...real, status: { ...real.status, ...status } });
}

describe("judgeApplication", () => {
  it("verifies the revision once the application is Synced and Healthy at it", () => {
    // Act
    const judgement = judgeApplication({
      application: application({ sync: { status: "Synced", revision: REVISION } }),
      revision: REVISION,
    });

    // Assert
    expect(judgement).toEqual({ state: "verified" });
  });

  it("keeps waiting while the application is at another revision, as the real sample is", () => {
    // Act
    const judgement = judgeApplication({ application: application({}), revision: REVISION });

    // Assert
    expect(judgement).toMatchObject({ state: "waiting", syncedByOperation: true });
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
