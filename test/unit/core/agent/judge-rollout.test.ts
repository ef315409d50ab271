import { describe, expect, it } from "vitest";
import { argoRollout } from "../../../../functions/core/agent/argo-rollout.js";
import { judgeRollout } from "../../../../functions/core/agent/judge-rollout.js";
import { readFixture } from "../../../read-fixture.js";

const rollout = (name: string) => argoRollout.parse(readFixture(`argocd/rollout.${name}.json`));

describe("judgeRollout", () => {
  it("reads a canary at its first setWeight step as progressing, with the canary's weight", () => {
    // Arrange
    const progressing = rollout("canary-progressing");

    // Act
    const judgement = judgeRollout(progressing);

    // Assert
    expect(judgement).toEqual({
      state: "progressing",
      position: { index: 0, total: 5, kind: "setWeight", weight: 20 },
    });
  });

  it("reads a canary paused at a pause: {} step as waiting for a promotion (Argo CD: Suspended)", () => {
    // Arrange
    const paused = rollout("canary-paused");

    // Act
    const judgement = judgeRollout(paused);

    // Assert
    expect(judgement).toEqual({
      state: "paused",
      position: { index: 1, total: 5, kind: "pause", weight: 20 },
      awaitsPromotion: true,
      reason: "CanaryPauseStep",
    });
  });

  it("reads a timed pause as paused but not waiting for a promotion", () => {
    // Arrange
    const paused = rollout("canary-paused");
    const timed = argoRollout.parse({
      ...paused,
      status: { ...paused.status, currentStepIndex: 3, canary: { weights: { canary: { weight: 50 } } } },
    });

    // Act
    const judgement = judgeRollout(timed);

    // Assert
    expect(judgement).toMatchObject({
      state: "paused",
      awaitsPromotion: false,
      position: { index: 3, weight: 50 },
    });
  });

  it("fails an aborted canary with the Rollout's own message (Argo CD: Degraded, RolloutAborted)", () => {
    // Arrange
    const aborted = rollout("canary-aborted");

    // Act
    const judgement = judgeRollout(aborted);

    // Assert
    expect(judgement).toMatchObject({
      state: "failed",
      aborted: true,
      position: { index: 4, kind: "analysis" },
    });
    expect(judgement.state === "failed" ? judgement.reason : "").toMatch(
      /^RolloutAborted: Rollout aborted update to revision 4: Metric "success-rate" assessed Failed/,
    );
  });

  it("fails a Degraded Rollout that was not aborted, with its message", () => {
    // Arrange
    const progressing = rollout("canary-progressing");
    const degraded = argoRollout.parse({
      ...progressing,
      status: {
        ...progressing.status,
        phase: "Degraded",
        message: "ProgressDeadlineExceeded: ReplicaSet has timed out progressing.",
      },
    });

    // Act
    const judgement = judgeRollout(degraded);

    // Assert
    expect(judgement).toMatchObject({
      state: "failed",
      aborted: false,
      reason: "ProgressDeadlineExceeded: ReplicaSet has timed out progressing.",
    });
  });

  it("reads a canary past its last step as completed at full weight", () => {
    // Arrange
    const healthy = rollout("canary-healthy");

    // Act
    const judgement = judgeRollout(healthy);

    // Assert
    expect(judgement).toEqual({
      state: "completed",
      position: { index: 5, total: 5, kind: "done", weight: 100 },
    });
  });

  it("leaves a Rollout without steps to Argo CD's health (a plain rollout)", () => {
    // Arrange
    const plain = rollout("no-steps");

    // Act
    const judgement = judgeRollout(plain);

    // Assert
    expect(judgement).toEqual({ state: "plain" });
  });
});
