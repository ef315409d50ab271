import { describe, expect, it } from "vitest";
import { describeEvent } from "../../../../functions/local/demo/describe-event.js";

const SHA = "681fa6f0123456789abcdef0123456789abcdef0";

function anEvent(detailType: string, detail: Record<string, unknown>) {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": detailType,
    source: "shipline",
    account: "000000000000",
    time: "2026-03-01T12:00:00Z",
    region: "local",
    resources: [],
    detail,
  };
}

describe("describeEvent", () => {
  it("tells where a pull request waits and how to merge it locally", () => {
    // Arrange
    const event = anEvent("Pull Request Opened", {
      app: "demo",
      commit: SHA,
      environment: "production",
      url: "http://127.0.0.1:4000/demo-config/pull/1",
    });

    // Act
    const line = describeEvent(event);

    // Assert
    expect(line).toEqual({
      journey: "demo@681fa6f",
      what: "Pull Request Opened",
      summary:
        "production http://127.0.0.1:4000/demo-config/pull/1 · review it, then: shipline merge demo production",
      outcome: "progress",
    });
  });

  it("shows an image the app's accept policy refused as a failure, with the reason", () => {
    // Arrange
    const reason = "commit 681fa6f is on branch feature/x only, which accept.branches (main) does not allow";
    const event = anEvent("Image Refused", { app: "demo", commit: SHA, rule: "branches", reason });

    // Act
    const line = describeEvent(event);

    // Assert
    expect(line).toEqual({
      journey: "demo@681fa6f",
      what: "Image Refused",
      summary: reason,
      outcome: "failure",
    });
  });

  it("names the environment, tag and config commit of a commit", () => {
    // Arrange
    const event = anEvent("Config Committed", {
      app: "demo",
      commit: SHA,
      environment: "staging",
      tag: "1.0.0-681fa6f",
      configCommit: "12c75aa0123456789abcdef0123456789abcdef0",
      kind: "update",
    });

    // Act
    const line = describeEvent(event);

    // Assert
    expect(line?.summary).toBe("staging 1.0.0-681fa6f → config 12c75aa");
  });

  it.each([
    [
      { waitingFor: "approval", command: `shipline approve demo production sha256:${"d".repeat(64)}` },
      `production waits for approval · shipline approve demo production sha256:${"d".repeat(64)}`,
    ],
    [{ waitingFor: "soak", until: "2026-03-01T12:01:10.000Z" }, "production waits for soak until 12:01:10"],
    [
      { waitingFor: "hold", heldBy: "alice", command: "shipline release demo production" },
      "production held by alice · shipline release demo production",
    ],
  ])("says what an image waits for in Promotion Waiting (%j), marked as waiting", (fields, summary) => {
    // Arrange
    const event = anEvent("Promotion Waiting", {
      app: "demo",
      commit: SHA,
      environment: "production",
      digest: `sha256:${"d".repeat(64)}`,
      tag: "1.0.0-681fa6f",
      reason: "production asks for manual approval",
      ...fields,
    });

    // Act
    const line = describeEvent(event);

    // Assert
    expect(line).toEqual({ journey: "demo@681fa6f", what: "Promotion Waiting", summary, outcome: "waiting" });
  });

  it.each([
    [{ imageTag: "1.0.0-681fa6f", durationSeconds: 4 }, "1.0.0-681fa6f in 4s"],
    [{ durationSeconds: 4 }, "in 4s"],
    [{}, ""],
  ])(
    "says what a build made and how long it took, leaving out what it does not know (%j)",
    (fields, summary) => {
      // Arrange
      const event = anEvent("Build Succeeded", { app: "demo", commit: SHA, ...fields });

      // Act
      const line = describeEvent(event);

      // Assert
      expect(line?.summary).toBe(summary);
    },
  );

  it("names a CodeBuild event's journey from the build's Shipline variables", () => {
    // Arrange
    const event = anEvent("CodeBuild Build State Change", {
      "project-name": "demo-build",
      "build-status": "SUCCEEDED",
      "additional-information": {
        environment: {
          "environment-variables": [
            { name: "SHIPLINE_APP", type: "PLAINTEXT", value: "demo" },
            { name: "SHIPLINE_COMMIT", type: "PLAINTEXT", value: SHA },
          ],
        },
      },
    });

    // Act
    const line = describeEvent(event);

    // Assert
    expect(line).toMatchObject({ journey: "demo@681fa6f", what: "CodeBuild", summary: "SUCCEEDED" });
  });

  it("skips an event whose detail is not an object", () => {
    // Arrange
    const event = { ...anEvent("Config Committed", {}), detail: "text" };

    // Act
    const line = describeEvent(event);

    // Assert
    expect(line).toBeUndefined();
  });
});
