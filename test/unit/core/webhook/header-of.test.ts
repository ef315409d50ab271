import { describe, expect, it } from "vitest";
import { headerOf } from "../../../../functions/core/webhook/header-of.js";

describe("headerOf", () => {
  it("finds a header whatever the case of its name", () => {
    // Arrange
    const headers = { "X-GitHub-Delivery": "abc" };

    // Act
    const value = headerOf(headers, "x-github-delivery");

    // Assert
    expect(value).toBe("abc");
  });

  it("treats a blank header as missing", () => {
    // Arrange
    const headers = { "x-gitlab-token": "   " };

    // Act
    const value = headerOf(headers, "X-Gitlab-Token");

    // Assert
    expect(value).toBeUndefined();
  });
});
