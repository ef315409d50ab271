import { describe, expect, it } from "vitest";
import * as z from "zod";
import { formatIssues, formatPath } from "../../../../functions/core/contracts/format-issues.js";

describe("formatPath", () => {
  it("writes keys with dots and indexes in brackets", () => {
    // Act
    const path = formatPath(["apps", 0, "deploy", "staging", 2]);

    // Assert
    expect(path).toBe("apps[0].deploy.staging[2]");
  });
});

describe("formatIssues", () => {
  it("renders one line per issue as path: message, under an optional prefix", () => {
    // Arrange
    const schema = z.object({ commits: z.array(z.object({ id: z.string() })), app: z.string() });
    const result = schema.safeParse({ commits: [{ id: 1 }], app: 2 });
    const issues = result.success ? [] : result.error.issues;

    // Act
    const lines = formatIssues(issues, "detail");

    // Assert
    expect(lines).toEqual([
      "detail.commits[0].id: Invalid input: expected string, received number",
      "detail.app: Invalid input: expected string, received number",
    ]);
  });

  it("names the root when the value itself is wrong", () => {
    // Arrange
    const result = z.object({}).safeParse("text");
    const issues = result.success ? [] : result.error.issues;

    // Act
    const lines = formatIssues(issues);

    // Assert
    expect(lines).toEqual(["(root): Invalid input: expected object, received string"]);
  });
});
