import { describe, expect, it } from "vitest";
import { constantTimeEqual } from "../../../../functions/core/webhook/constant-time-equal.js";

describe("constantTimeEqual", () => {
  it.each([
    ["abc", "abc", true],
    ["abc", "abd", false],
    ["abc", "abcd", false],
    ["", "", true],
  ])("compares %j with %j", (a, b, expected) => {
    // Arrange
    const left = Buffer.from(a);

    // Act
    const equal = constantTimeEqual(left, Buffer.from(b));

    // Assert
    expect(equal).toBe(expected);
  });
});
