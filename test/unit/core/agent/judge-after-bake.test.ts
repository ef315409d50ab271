import { describe, expect, it } from "vitest";
import { argoCdApplication } from "../../../../functions/core/agent/argocd-application.js";
import { judgeAfterBake } from "../../../../functions/core/agent/judge-after-bake.js";

const REVISION = "2222222222222222222222222222222222222222";
const LATER = "3333333333333333333333333333333333333333";

/** An Application as Argo CD reports it after the bake. */
function application(revision: string, health: string, image = "127.0.0.1:5000/demo:1.0.0-abcdef1") {
  return argoCdApplication.parse({
    metadata: { name: "demo-staging" },
    status: {
      sync: { status: "Synced", revision },
      health: { status: health },
      summary: { images: [image] },
    },
  });
}

function judge(app: ReturnType<typeof application>, image: { tag?: string } = { tag: "1.0.0-abcdef1" }) {
  return judgeAfterBake({
    application: app,
    revision: REVISION,
    image,
    atLaterCommit: app.status?.sync?.revision === LATER,
    window: "5m",
  });
}

describe("judgeAfterBake", () => {
  it("verifies an application still Synced and Healthy at the revision", () => {
    // Act
    const judgement = judge(application(REVISION, "Healthy"));

    // Assert
    expect(judgement).toEqual({ state: "verified" });
  });

  it("verifies it at a later commit that still runs the requested image, naming that commit", () => {
    // Act
    const judgement = judge(application(LATER, "Healthy"));

    // Assert
    expect(judgement).toEqual({ state: "verified", syncedRevision: LATER });
  });

  it("fails it when Argo CD reports it Progressing at the revision, saying so", () => {
    // Act
    const judgement = judge(application(REVISION, "Progressing"));

    // Assert
    expect(judgement).toEqual({
      state: "failed",
      reason: `after the 5m bake the application is no longer Synced and Healthy at ${REVISION} (sync Synced at ${REVISION}, health Progressing)`,
    });
  });

  it("fails it when it went Degraded at a later commit that still runs its image", () => {
    // Act
    const judgement = judge(application(LATER, "Degraded"));

    // Assert
    expect(judgement).toMatchObject({
      state: "failed",
      reason: expect.stringContaining(`after the 5m bake, the application is Degraded at ${LATER}`),
    });
  });

  it("leaves it to the later commit that deploys another image of the app", () => {
    // Act
    const judgement = judge(application(LATER, "Healthy", "127.0.0.1:5000/demo:1.0.1-fedcba9"));

    // Assert
    expect(judgement).toEqual({ state: "superseded", current: LATER });
  });
});
