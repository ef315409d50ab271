import { CodeBuildClient, InvalidInputException, StartBuildCommand } from "@aws-sdk/client-codebuild";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodeBuildBuildRunner } from "../../../../functions/adapters/aws/codebuild-build-runner.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const INPUT = {
  projectName: "shipline-api",
  sourceVersion: SHA,
  environment: { SHIPLINE_APP: "api", SHIPLINE_COMMIT: SHA },
  idempotencyToken: "a".repeat(64),
};

describe("CodeBuildBuildRunner", () => {
  const codebuild = mockClient(CodeBuildClient);
  let runner: CodeBuildBuildRunner;

  beforeEach(() => {
    codebuild.reset();
    runner = new CodeBuildBuildRunner({ client: new CodeBuildClient({ region: "eu-west-1" }) });
  });

  afterEach(() => {
    codebuild.reset();
  });

  it("starts the project at the commit with plain-text overrides and the idempotency token", async () => {
    // Arrange
    codebuild.on(StartBuildCommand).resolves({
      build: {
        id: "shipline-api:4a1b0e2c-9d8f-4b7a-8c6d-5e4f3a2b1c0d",
        arn: "arn:aws:codebuild:eu-west-1:123456789012:build/shipline-api:4a1b0e2c-9d8f-4b7a-8c6d-5e4f3a2b1c0d",
        buildNumber: 42,
      },
    });

    // Act
    const started = await runner.startBuild(INPUT);

    // Assert
    expect(codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input).toEqual({
      projectName: "shipline-api",
      sourceVersion: SHA,
      idempotencyToken: "a".repeat(64),
      environmentVariablesOverride: [
        { name: "SHIPLINE_APP", value: "api", type: "PLAINTEXT" },
        { name: "SHIPLINE_COMMIT", value: SHA, type: "PLAINTEXT" },
      ],
    });
    expect(started).toEqual({
      buildId: "shipline-api:4a1b0e2c-9d8f-4b7a-8c6d-5e4f3a2b1c0d",
      buildNumber: 42,
      logsUrl:
        "https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/shipline-api/build/shipline-api%3A4a1b0e2c-9d8f-4b7a-8c6d-5e4f3a2b1c0d/log?region=eu-west-1",
    });
  });

  it("gives no source version to a project whose build fetches the commit itself", async () => {
    // Arrange
    codebuild.on(StartBuildCommand).resolves({ build: { id: "shipline-api:5b2c", buildNumber: 7 } });

    // Act
    await runner.startBuild({ ...INPUT, sourceFetchedByBuild: true });

    // Assert
    const input = codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty("sourceVersion");
    expect(input?.environmentVariablesOverride).toContainEqual({
      name: "SHIPLINE_COMMIT",
      value: SHA,
      type: "PLAINTEXT",
    });
  });

  it("makes a refused request a permanent BUILD_START_FAILED", async () => {
    // Arrange
    codebuild
      .on(StartBuildCommand)
      .rejects(new InvalidInputException({ message: "bad source version", $metadata: {} }));

    // Act
    const start = runner.startBuild(INPUT);

    // Assert
    await expect(start).rejects.toMatchObject({ code: "BUILD_START_FAILED", retryable: false });
  });

  it("makes the account's build limit a retryable BUILD_START_FAILED", async () => {
    // Arrange
    const limit = new Error("Cannot have more than 20 active builds");
    limit.name = "AccountLimitExceededException";
    codebuild.on(StartBuildCommand).rejects(limit);

    // Act
    const start = runner.startBuild(INPUT);

    // Assert
    await expect(start).rejects.toMatchObject({ code: "BUILD_START_FAILED", retryable: true });
  });
});
