import { describe, expect, it } from "vitest";
import { verifyGitlabToken } from "../../../../functions/core/webhook/verify-gitlab-token.js";

describe("verifyGitlabToken", () => {
  it("accepts the secret token itself", () => {
    // Arrange
    const token = "gitlab-secret-token";

    // Act
    const check = verifyGitlabToken({ token, secrets: ["gitlab-secret-token"] });

    // Assert
    expect(check).toEqual({ valid: true });
  });

  it.each([
    ["a different token of the same length", "gitlab-secret-tokeN"],
    ["a prefix of the token", "gitlab-secret"],
    ["a longer token", "gitlab-secret-token-and-more"],
  ])("rejects %s", (_label, token) => {
    // Arrange
    const secrets = ["gitlab-secret-token"];

    // Act
    const check = verifyGitlabToken({ token, secrets });

    // Assert
    expect(check).toEqual({ valid: false, problem: "mismatch" });
  });

  it("accepts either of two secrets while one is rotated", () => {
    // Arrange
    const secrets = ["old-token", "new-token"];

    // Act
    const check = verifyGitlabToken({ token: "old-token", secrets });

    // Assert
    expect(check.valid).toBe(true);
  });

  it("reports a missing X-Gitlab-Token as missing", () => {
    // Arrange
    const secrets = ["gitlab-secret-token"];

    // Act
    const check = verifyGitlabToken({ token: undefined, secrets });

    // Assert
    expect(check).toEqual({ valid: false, problem: "missing" });
  });

  it("accepts nothing when no secret is held", () => {
    // Arrange
    const secrets: string[] = [];

    // Act
    const check = verifyGitlabToken({ token: "", secrets });

    // Assert
    expect(check).toEqual({ valid: false, problem: "no-secret" });
  });
});
