import { describe, expect, it } from "vitest";
import { withFailedRollout } from "../../../../functions/core/agent/failing-resources.js";

describe("withFailedRollout", () => {
  it("reports the failed canary's Rollout Degraded with its reason, over a Progressing entry read earlier", () => {
    // Arrange
    const resources = [
      {
        kind: "Rollout",
        name: "demo",
        namespace: "demo",
        health: "Progressing",
        message: "Waiting for rollout",
      },
      { kind: "Service", name: "demo", namespace: "demo", health: "Missing" },
    ];

    // Act
    const reported = withFailedRollout(resources, "demo/demo", "RolloutAborted: the canary failed");

    // Assert
    expect(reported).toEqual([
      { kind: "Service", name: "demo", namespace: "demo", health: "Missing" },
      {
        kind: "Rollout",
        name: "demo",
        namespace: "demo",
        health: "Degraded",
        message: "RolloutAborted: the canary failed",
      },
    ]);
  });

  it("adds the Rollout when the application's tree did not list it as failing", () => {
    // Act
    const reported = withFailedRollout([], "shop/api", "RolloutAborted");

    // Assert
    expect(reported).toEqual([
      { kind: "Rollout", name: "api", namespace: "shop", health: "Degraded", message: "RolloutAborted" },
    ]);
  });
});
