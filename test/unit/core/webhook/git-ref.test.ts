import { describe, expect, it } from "vitest";
import { isZeroSha, parseGitRef } from "../../../../functions/core/webhook/git-ref.js";

describe("parseGitRef", () => {
  it.each([
    ["refs/heads/main", { refType: "branch", refName: "main" }],
    ["refs/heads/feature/a-b", { refType: "branch", refName: "feature/a-b" }],
    ["refs/tags/v1.2.3", { refType: "tag", refName: "v1.2.3" }],
    ["refs/pull/1/head", undefined],
    ["refs/heads/", undefined],
    ["main", undefined],
  ])("splits %s", (ref, expected) => {
    // Arrange
    const input = ref;

    // Act
    const parsed = parseGitRef(input);

    // Assert
    expect(parsed).toEqual(expected);
  });
});

describe("isZeroSha", () => {
  it.each([
    ["0".repeat(40), true],
    ["0".repeat(64), true],
    [undefined, true],
    [null, true],
    ["fd489864e7642b48eaad6e3f155c10e46810ec72", false],
    ["", false],
  ])("tells whether %j is the null id", (sha, expected) => {
    // Arrange
    const input = sha;

    // Act
    const zero = isZeroSha(input);

    // Assert
    expect(zero).toBe(expected);
  });
});
