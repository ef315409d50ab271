import { CodeCommitClient, GetDifferencesCommand } from "@aws-sdk/client-codecommit";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { createStartBuildChangedPaths } from "../../../../functions/adapters/aws/start-build-changed-paths.js";
import { appConfig } from "../../core/build/build-test-kit.js";

describe("createStartBuildChangedPaths", () => {
  const codecommit = mockClient(CodeCommitClient);

  afterEach(() => {
    codecommit.reset();
  });

  it("reads a CodeCommit push's paths with GetDifferences in the repository's region", async () => {
    // Arrange
    codecommit
      .on(GetDifferencesCommand)
      .resolves({ differences: [{ afterBlob: { path: "services/api/main.ts" } }] });
    const regions: string[] = [];
    const source = createStartBuildChangedPaths({
      config: { apps: [appConfig("api")] },
      workDir: "/tmp/shipline-changed-paths-test",
      logger: { warn: () => undefined },
      clock: { now: () => new Date("2026-03-01T12:00:00Z") },
      capture: (client) => {
        regions.push(String(client.config.region));
        return client;
      },
    });

    // Act
    const paths = await source.changedPaths({
      provider: "codecommit",
      repository: {
        name: "shop",
        fullName: "shop",
        url: "https://git-codecommit.us-east-2.amazonaws.com/v1/repos/shop",
      },
      ref: "refs/heads/main",
      base: "737d38c599c1b2991664dfc6155d6bf516fcce36",
      head: "0123456789abcdef0123456789abcdef01234567",
    });

    // Assert
    expect(paths).toEqual(["services/api/main.ts"]);
    expect(codecommit.commandCalls(GetDifferencesCommand)[0]?.args[0].input).toMatchObject({
      repositoryName: "shop",
    });
    expect(regions).toHaveLength(1);
  });
});
