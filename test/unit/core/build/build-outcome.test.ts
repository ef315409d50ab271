import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOutcomeOf } from "../../../../functions/core/build/build-outcome.js";
import { BuildVariable } from "../../../../functions/core/build/build-variable.js";
import {
  type CodeBuildBuildStateChangeEvent,
  codeBuildBuildStateChangeEvent,
} from "../../../../functions/core/contracts/aws/codebuild-build-state-change.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { SHA } from "./build-test-kit.js";

const FIXTURES = path.resolve(__dirname, "../../../../../shared/fixtures/aws");

function sample(name: string): CodeBuildBuildStateChangeEvent {
  return codeBuildBuildStateChangeEvent.parse(JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8")));
}

const SUCCEEDED = "codebuild-build-state-change.succeeded.aws-lambda-go.json";
const FAILED = "codebuild-build-state-change.failed.captured-third-party.json";

/** The sample with Shipline's variables added, as start-build would have set them. */
function withShiplineVariables(event: CodeBuildBuildStateChangeEvent, extra: Record<string, string> = {}) {
  const variables = {
    [BuildVariable.App]: "shop",
    [BuildVariable.Commit]: SHA,
    [BuildVariable.CorrelationId]: "github:72d3162e",
    ...extra,
  };
  const copy = structuredClone(event);
  const info = copy.detail["additional-information"];
  if (info?.environment === undefined) throw new Error("the sample has no environment");
  info.environment["environment-variables"].push(
    ...Object.entries(variables).map(([name, value]) => ({ name, type: "PLAINTEXT", value })),
  );
  return copy;
}

describe("buildOutcomeOf", () => {
  it("ignores the succeeded sample, which Shipline did not start", () => {
    // Act
    const outcome = buildOutcomeOf(sample(SUCCEEDED));

    // Assert
    expect(outcome).toEqual({
      kind: "ignored",
      reason: expect.stringContaining("carries no SHIPLINE_* variables"),
    });
  });

  it("ignores the failed sample, which Shipline did not start", () => {
    // Act
    const outcome = buildOutcomeOf(sample(FAILED));

    // Assert
    expect(outcome.kind).toBe("ignored");
  });

  it("maps the succeeded sample with Shipline's variables to Build Succeeded", () => {
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
        "arn:aws:codebuild:us-west-2:123456789012:build/my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX",
      projectName: "my-sample-project",
      imageTag: "1.4.0-0123456",
      durationSeconds: expect.any(Number),
      logsUrl:
        "https://console.aws.amazon.com/cloudwatch/home?region=us-west-2#logEvent:group=/aws/codebuild/my-sample-project;stream=8745a7a9-c340-456a-9166-edf953571bEX",
    });
    const phases = event.detail["additional-information"]?.phases ?? [];
    const total = phases.reduce((sum, phase) => sum + (phase["duration-in-seconds"] ?? 0), 0);
    expect(outcome.request.detail).toMatchObject({ durationSeconds: total });
  });

  it("maps the failed sample with Shipline's variables to Build Failed with the failed phase and its context", () => {
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
      failedPhase: "DOWNLOAD_SOURCE",
      reason:
        "build FAILED in phase DOWNLOAD_SOURCE: YAML_FILE_ERROR: stat /codebuild/output/src424818173/src/buildspec.yml: no such file or directory",
      durationSeconds: 65,
      logsUrl: expect.stringContaining(
        "/aws/codebuild/functionci-thestackshack-serverless-demo-master-code-build",
      ),
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
      "https://us-east-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/functionci-thestackshack-serverless-demo-master-code-build/build/functionci-thestackshack-serverless-demo-master-code-build%3A845a17d1-3901-40aa-a169-15f7545eca60/log?region=us-east-1",
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
