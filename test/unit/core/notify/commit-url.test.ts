import { describe, expect, it } from "vitest";
import { commitUrlOf } from "../../../../functions/core/notify/commit-url.js";

const SHA = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad";

describe("commitUrlOf", () => {
  it.each([
    ["https://github.com/acme/deploy.git", `https://github.com/acme/deploy/commit/${SHA}`],
    ["https://gitlab.com/acme/platform/deploy", `https://gitlab.com/acme/platform/deploy/-/commit/${SHA}`],
    ["https://bitbucket.org/acme/deploy.git", `https://bitbucket.org/acme/deploy/commits/${SHA}`],
    [
      "https://token:secret@gitea.example.com/acme/deploy.git",
      `https://gitea.example.com/acme/deploy/commit/${SHA}`,
    ],
    [
      "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/deploy",
      `https://eu-west-1.console.aws.amazon.com/codesuite/codecommit/repositories/deploy/commit/${SHA}?region=eu-west-1`,
    ],
  ])("links a commit of %s to its web page", (repositoryUrl, expected) => {
    // Act
    const url = commitUrlOf(repositoryUrl, SHA);

    // Assert
    expect(url).toBe(expected);
  });

  it.each([
    ["local:demo-config"],
    ["ssh://git@github.com/acme/deploy.git"],
    ["not a url"],
    ["https://example.com/"],
  ])("names no page for %s", (repositoryUrl) => {
    // Act
    const url = commitUrlOf(repositoryUrl, SHA);

    // Assert
    expect(url).toBeUndefined();
  });
});
