import { describe, expect, it } from "vitest";
import { createStartBuildChangedPaths } from "../../../../functions/adapters/aws/start-build-changed-paths.js";
import { CHANGED_PATHS_UNAVAILABLE } from "../../../../functions/core/ports/changed-paths-source.js";
import { appConfig } from "../../core/build/build-test-kit.js";

describe("createStartBuildChangedPaths", () => {
  it("refuses a CodeCommit push, whose paths the webhook reads, as permanent, without fetching it", async () => {
    // Arrange
    const source = createStartBuildChangedPaths({
      config: { apps: [appConfig("api")] },
      workDir: "/tmp/shipline-changed-paths-test",
      logger: { warn: () => undefined },
      clock: { now: () => new Date("2026-03-01T12:00:00Z") },
    });

    // Act
    const error = await source
      .changedPaths({
        provider: "codecommit",
        repository: {
          name: "shop",
          fullName: "shop",
          url: "https://git-codecommit.us-east-2.amazonaws.com/v1/repos/shop",
        },
        ref: "refs/heads/main",
        base: "737d38c599c1b2991664dfc6155d6bf516fcce36",
        head: "0123456789abcdef0123456789abcdef01234567",
      })
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      code: CHANGED_PATHS_UNAVAILABLE,
      retryable: false,
      message:
        "The changed paths of CodeCommit repository shop are read by the webhook, and this push carries none",
    });
  });
});
