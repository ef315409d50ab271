import { describe, expect, it } from "vitest";
import { buildOutcomeOf } from "../../../../functions/core/build/build-outcome.js";
import { BuildVariable } from "../../../../functions/core/build/build-variable.js";
import {
  type CodeBuildBuildStateChangeEvent,
  codeBuildBuildStateChangeEvent,
} from "../../../../functions/core/contracts/aws/codebuild-build-state-change.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { readFixture } from "../../../read-fixture.js";
import { SHA } from "./build-test-kit.js";

function sample(name: string): CodeBuildBuildStateChangeEvent {
  return codeBuildBuildStateChangeEvent.parse(readFixture(`aws/${name}`));
}

const SUCCEEDED = "codebuild-build-state-change.succeeded.json";
const FAILED = "codebuild-build-state-change.failed.json";

/** The build with Shipline's variables added, as start-build would have set them. */
function withShiplineVariables(event: CodeBuildBuildStateChangeEvent, extra: Record<string, string> = {}) {
  const variables = {
    [BuildVariable.App]: "shop",
    [BuildVariable.Commit]: SHA,
    [BuildVariable.CorrelationId]: "github:72d3162e",
    ...extra,
  };
  const copy = structuredClone(event);
  const info = copy.detail["additional-information"];
  if (info?.environment === undefined) throw new Error("the build event has no environment");
  info.environment["environment-variables"].push(
    ...Object.entries(variables).map(([name, value]) => ({ name, type: "PLAINTEXT", value })),
  );
  return copy;
}

describe("buildOutcomeOf", () => {
  it("ignores a succeeded build that Shipline did not start", () => {
    // Act
    const outcome = buildOutcomeOf(sample(SUCCEEDED));

    // Assert
    expect(outcome).toEqual({
      kind: "ignored",
      reason: expect.stringContaining("carries no SHIPLINE_* variables"),
    });
  });

  it("ignores a failed build that Shipline did not start", () => {
    // Act
    const outcome = buildOutcomeOf(sample(FAILED));

    // Assert
    expect(outcome.kind).toBe("ignored");
  });

  it("maps a succeeded build with Shipline's variables to Build Succeeded", () => {
    // Arrange
    const event = withShiplineVariables(sample(SUCCEEDED), { [BuildVariable.ImageTag]: "1.4.0-0123456" });

    // Act
    const outcome = buildOutcomeOf(event);

    // Assert
    expect(outcome.kind).toBe("publish");
    if (outcome.kind !== "publish") return;
    expect(outcome.request.detailType).toBe("Build Succeeded");
    expect(outcome.request.detail).toEqual({
      schemaVersion: 1,
      app: "shop",
      commit: SHA,
      correlationId: "github:72d3162e",
      buildId:
        "arn:aws:codebuild:eu-west-1:123456789012:build/shipline-demo-app:b369afd9-ba87-40eb-bafb-a0cc0aae40eb",
      projectName: "shipline-demo-app",
      imageTag: "1.4.0-0123456",
      durationSeconds: 177,
      logsUrl:
        "https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logEvent:group=/aws/codebuild/shipline-demo-app;stream=b369afd9-ba87-40eb-bafb-a0cc0aae40eb",
    });
  });

  it("maps a failed build with Shipline's variables to Build Failed with the failed phase and its context", () => {
    // Arrange
    const event = withShiplineVariables(sample(FAILED));

    // Act
    const outcome = buildOutcomeOf(event);

    // Assert
    expect(outcome.kind).toBe("publish");
    if (outcome.kind !== "publish") return;
    expect(outcome.request.detailType).toBe("Build Failed");
    expect(outcome.request.detail).toMatchObject({
      app: "shop",
      status: "FAILED",
      failedPhase: "BUILD",
      reason:
        "build FAILED in phase BUILD: COMMAND_EXECUTION_ERROR: Error while executing command: npm test. Reason: exit status 1",
      durationSeconds: 123,
      logsUrl: expect.stringContaining("/aws/codebuild/shipline-demo-api;stream="),
    });
  });

  it("links the CodeBuild console when the event has no deep link", () => {
    // Arrange
    const event = withShiplineVariables(sample(FAILED));
    const info = event.detail["additional-information"];
    if (info) info.logs = undefined;

    // Act
    const outcome = buildOutcomeOf(event);

    // Assert
    expect(outcome.kind === "publish" && outcome.request.detail.logsUrl).toBe(
      "https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/shipline-demo-api/build/shipline-demo-api%3A81653624-a475-41b6-8ea4-46e83b0d6a74/log?region=eu-west-1",
    );
  });

  it("ignores a build still in progress", () => {
    // Arrange
    const event = withShiplineVariables(sample(SUCCEEDED));
    event.detail["build-status"] = "IN_PROGRESS";

    // Act
    const outcome = buildOutcomeOf(event);

    // Assert
    expect(outcome).toEqual({ kind: "ignored", reason: expect.stringContaining("still in progress") });
  });

  it("refuses a build whose Shipline variables are broken", () => {
    // Arrange
    const event = withShiplineVariables(sample(SUCCEEDED), { [BuildVariable.Commit]: "HEAD" });

    // Act
    let thrown: unknown;
    try {
      buildOutcomeOf(event);
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(ShiplineError);
    expect(thrown).toMatchObject({ code: "EVENT_INVALID", retryable: false });
  });
});
