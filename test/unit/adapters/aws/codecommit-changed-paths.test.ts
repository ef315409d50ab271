import {
  CodeCommitClient,
  CommitDoesNotExistException,
  GetDifferencesCommand,
} from "@aws-sdk/client-codecommit";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodeCommitChangedPaths } from "../../../../functions/adapters/aws/codecommit-changed-paths.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

const BASE = "737d38c599c1b2991664dfc6155d6bf516fcce36";
const HEAD = "0123456789abcdef0123456789abcdef01234567";
const REQUEST = {
  provider: "codecommit",
  repository: {
    name: "shop",
    fullName: "shop",
    url: "https://git-codecommit.eu-central-1.amazonaws.com/v1/repos/shop",
  },
  ref: "refs/heads/main",
  base: BASE,
  head: HEAD,
} as const;

describe("CodeCommitChangedPaths", () => {
  const codecommit = mockClient(CodeCommitClient);
  const regions: string[] = [];
  let source: CodeCommitChangedPaths;

  beforeEach(() => {
    codecommit.reset();
    regions.length = 0;
    source = new CodeCommitChangedPaths({
      clientFor: (region) => {
        regions.push(region);
        return new CodeCommitClient({ region });
      },
    });
  });

  afterEach(() => {
    codecommit.reset();
  });

  it("lists every path GetDifferences names across its pages, a rename under both names, once each", async () => {
    // Arrange
    codecommit
      .on(GetDifferencesCommand, {
        repositoryName: "shop",
        beforeCommitSpecifier: BASE,
        afterCommitSpecifier: HEAD,
      })
      .resolvesOnce({
        differences: [
          { afterBlob: { path: "services/api/main.ts" }, changeType: "A" },
          { beforeBlob: { path: "services/web/old.ts" }, changeType: "D" },
        ],
        NextToken: "page-2",
      })
      .resolvesOnce({
        differences: [
          { beforeBlob: { path: "libs/a.ts" }, afterBlob: { path: "libs/b.ts" }, changeType: "M" },
          {
            beforeBlob: { path: "services/api/main.ts" },
            afterBlob: { path: "services/api/main.ts" },
            changeType: "M",
          },
        ],
      });

    // Act
    const paths = await source.changedPaths(REQUEST);

    // Assert
    expect(paths).toEqual(["services/api/main.ts", "services/web/old.ts", "libs/a.ts", "libs/b.ts"]);
    expect(regions).toEqual(["eu-central-1"]);
    expect(
      codecommit.commandCalls(GetDifferencesCommand).map((call) => call.args[0].input.NextToken),
    ).toEqual([undefined, "page-2"]);
  });

  it("makes a commit CodeCommit does not have a permanent CHANGED_PATHS_UNAVAILABLE naming the repository", async () => {
    // Arrange
    codecommit
      .on(GetDifferencesCommand)
      .rejects(new CommitDoesNotExistException({ message: "Commit not found", $metadata: {} }));

    // Act
    const error = await source.changedPaths(REQUEST).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({
      code: "CHANGED_PATHS_UNAVAILABLE",
      retryable: false,
      message:
        "The changed paths of CodeCommit repository shop could not be read: GetDifferences failed with CommitDoesNotExistException",
    });
  });

  it("makes throttling a retryable CHANGED_PATHS_UNAVAILABLE", async () => {
    // Arrange
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    codecommit.on(GetDifferencesCommand).rejects(throttled);

    // Act
    const error = await source.changedPaths(REQUEST).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "CHANGED_PATHS_UNAVAILABLE", retryable: true });
  });
});
