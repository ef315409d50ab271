import { BatchGetBuildsCommand, CodeBuildClient } from "@aws-sdk/client-codebuild";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodeBuildBuildExports } from "../../../../functions/adapters/aws/codebuild-build-exports.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

const ARN =
  "arn:aws:codebuild:eu-west-1:123456789012:build/shipline-api:4a1b0e2c-9d8f-4b7a-8c6d-5e4f3a2b1c0d";

describe("CodeBuildBuildExports", () => {
  const codebuild = mockClient(CodeBuildClient);
  let exports: CodeBuildBuildExports;

  beforeEach(() => {
    codebuild.reset();
    exports = new CodeBuildBuildExports({ client: new CodeBuildClient({ region: "eu-west-1" }) });
  });

  afterEach(() => {
    codebuild.reset();
  });

  it("reads the exported variables of the build its state change names by ARN", async () => {
    // Arrange
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [
        {
          id: "shipline-api:4a1b0e2c-9d8f-4b7a-8c6d-5e4f3a2b1c0d",
          exportedEnvironmentVariables: [
            { name: "SHIPLINE_CHART_VERSION", value: "1.4.0-0123456" },
            { name: "SHIPLINE_IMAGE_DIGEST", value: `sha256:${"a".repeat(64)}` },
          ],
        },
      ],
    });

    // Act
    const exported = await exports.exportedVariables(ARN);

    // Assert
    expect(codebuild.commandCalls(BatchGetBuildsCommand)[0]?.args[0].input).toEqual({
      ids: ["shipline-api:4a1b0e2c-9d8f-4b7a-8c6d-5e4f3a2b1c0d"],
    });
    expect(exported.get("SHIPLINE_CHART_VERSION")).toBe("1.4.0-0123456");
    expect(exported.size).toBe(2);
  });

  it("answers none for a build CodeBuild does not know", async () => {
    // Arrange
    codebuild.on(BatchGetBuildsCommand).resolves({ builds: [], buildsNotFound: ["shipline-api:gone"] });

    // Act
    const exported = await exports.exportedVariables("shipline-api:gone");

    // Assert
    expect(exported.size).toBe(0);
  });

  it("fails retryably when CodeBuild cannot be asked", async () => {
    // Arrange
    codebuild.on(BatchGetBuildsCommand).rejects(new Error("throttled"));

    // Act
    const failure = await exports.exportedVariables(ARN).catch((error: unknown) => error);

    // Assert
    expect(failure).toBeInstanceOf(ShiplineError);
    expect(failure).toMatchObject({ code: "BUILD_EXPORTS_UNREADABLE", retryable: true });
  });
});
