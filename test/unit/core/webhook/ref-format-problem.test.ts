import { describe, expect, it } from "vitest";
import { refFormatProblem } from "../../../../functions/core/webhook/ref-format-problem.js";

describe("refFormatProblem", () => {
  it.each(["refs/heads/main", "refs/heads/feature/x-1.2", "refs/tags/v1.0.0", "refs/heads/a.b@c"])(
    "accepts %j, a name git accepts",
    (ref) => {
      // Act
      const problem = refFormatProblem(ref);

      // Assert
      expect(problem).toBeUndefined();
    },
  );

  it.each([
    ["refs/heads/a..b", "it contains '..'"],
    ["refs/heads/a b", "it contains a space"],
    ["refs/heads/a\u0000b", "it contains the control character U+0000"],
    ["refs/heads/a~1", "it contains '~'"],
    ["refs/heads/a^", "it contains '^'"],
    ["refs/heads/a:b", "it contains ':'"],
    ["refs/heads/a?", "it contains '?'"],
    ["refs/heads/a*", "it contains '*'"],
    ["refs/heads/a[b", "it contains '['"],
    ["refs/heads/a\\b", "it contains '\\'"],
    ["refs/heads/a@{1}", "it contains '@{'"],
    ["refs/heads/a.", "it ends with '.'"],
    ["refs/heads//a", "it has an empty path component ('//', or a leading or trailing '/')"],
    ["refs/heads/a/", "it has an empty path component ('//', or a leading or trailing '/')"],
    ["refs/heads/.hidden", "its component '.hidden' starts with '.'"],
    ["refs/heads/main.lock", "its component 'main.lock' ends with '.lock'"],
    ["@", "it is '@' alone"],
  ])("refuses %j: %s", (ref, expected) => {
    // Act
    const problem = refFormatProblem(ref);

    // Assert
    expect(problem).toBe(expected);
  });
});
