import { describe, expect, it } from "vitest";
import { codeBuildBuildStateChangeEvent } from "../../../../../functions/core/contracts/aws/codebuild-build-state-change.js";
import { issuesOf, type JsonPath, naming, readFixture, withChange } from "../samples.js";

const succeeded = readFixture("aws/codebuild-build-state-change.succeeded.json");
const failed = readFixture("aws/codebuild-build-state-change.failed.json");

describe("codeBuildBuildStateChangeEvent", () => {
  it("parses a succeeded build with its environment variables, logs and every phase", () => {
    // Act
    const event = codeBuildBuildStateChangeEvent.parse(succeeded);

    // Assert
    const info = event.detail["additional-information"];
    expect(event.detail["build-status"]).toBe("SUCCEEDED");
    expect(event.detail["project-name"]).toBe("shipline-demo-app");
    expect(info["build-number"]).toBe(42);
    expect(info.environment?.["environment-variables"]).toEqual([
      { name: "NODE_ENV", type: "PLAINTEXT", value: "production" },
    ]);
    expect(info.logs?.["group-name"]).toBe("/aws/codebuild/shipline-demo-app");
    expect(info.phases.map((phase) => phase["phase-type"])).toEqual([
      "SUBMITTED",
      "QUEUED",
      "PROVISIONING",
      "DOWNLOAD_SOURCE",
      "INSTALL",
      "PRE_BUILD",
      "BUILD",
      "POST_BUILD",
      "UPLOAD_ARTIFACTS",
      "FINALIZING",
      "COMPLETED",
    ]);
  });

  it("parses a failed build and keeps the failing phase's context", () => {
    // Act
    const event = codeBuildBuildStateChangeEvent.parse(failed);

    // Assert
    const failing = event.detail["additional-information"].phases.find(
      (phase) => phase["phase-status"] === "FAILED",
    );
    expect(event.detail["build-status"]).toBe("FAILED");
    expect(failing?.["phase-type"]).toBe("BUILD");
    expect(failing?.["phase-context"]?.[0]).toMatch(/^COMMAND_EXECUTION_ERROR: /);
  });

  it.each<{
    readonly label: string;
    readonly at: JsonPath;
    readonly value?: unknown;
    readonly field: string;
  }>([
    { label: "a missing build status", at: ["detail", "build-status"], field: "detail.build-status" },
    { label: "a missing project name", at: ["detail", "project-name"], field: "detail.project-name" },
    {
      label: "an unknown build status",
      at: ["detail", "build-status"],
      value: "DONE",
      field: "detail.build-status",
    },
    {
      label: "a phase without its type",
      at: ["detail", "additional-information", "phases", 2, "phase-type"],
      field: "detail.additional-information.phases[2].phase-type",
    },
    {
      label: "a phase duration given as text",
      at: ["detail", "additional-information", "phases", 6, "duration-in-seconds"],
      value: "96",
      field: "detail.additional-information.phases[6].duration-in-seconds",
    },
    {
      label: "an environment variable without a value",
      at: ["detail", "additional-information", "environment", "environment-variables", 0, "value"],
      field: "detail.additional-information.environment.environment-variables[0].value",
    },
    {
      label: "a missing additional-information block",
      at: ["detail", "additional-information"],
      field: "detail.additional-information",
    },
  ])("rejects $label and names the field", ({ at, value, field }) => {
    // Arrange
    const mutated = withChange(succeeded, at, value === undefined ? { remove: true } : { set: value });

    // Act
    const problems = issuesOf(codeBuildBuildStateChangeEvent, mutated);

    // Assert
    expect(problems).toContainEqual(naming(field));
  });
});
