import { describe, expect, it } from "vitest";
import { assertRepoPath } from "../../../../functions/core/manifest/index.js";
import { catchShiplineError } from "./catch-shipline-error.js";

describe("assertRepoPath", () => {
  it("returns a relative path normalised", () => {
    // Arrange
    const path = "./envs//staging/./values.yaml";

    // Act
    const normalised = assertRepoPath(path);

    // Assert
    expect(normalised).toBe("envs/staging/values.yaml");
  });

  it("accepts names that merely start with dots", () => {
    // Arrange / Act
    const normalised = assertRepoPath(".github/..values/.gitkeep");

    // Assert
    expect(normalised).toBe(".github/..values/.gitkeep");
  });

  it.each([
    ["an empty path", "", "empty"],
    ["an absolute path", "/etc/passwd", "absolute"],
    ["a UNC path", "//host/share/values.yaml", "absolute"],
    ["a drive letter", "C:values.yaml", "drive letter"],
    ["a '..' escape", "envs/../../secrets.yaml", ".."],
    ["a backslash", "envs\\staging\\values.yaml", "backslash"],
    ["a NUL", "values.yaml\u0000.txt", "NUL"],
    ["the .git directory", ".git/config", ".git"],
    ["a nested .GIT directory", "sub/.GIT/hooks/post-checkout", ".git"],
    ["the repository root", "./", "root"],
  ])("refuses %s with PATH_OUTSIDE_REPO", (_title, path, reason) => {
    // Arrange / Act
    const error = catchShiplineError(() => assertRepoPath(path), "PATH_OUTSIDE_REPO");

    // Assert
    expect(String(error.data.reason)).toContain(reason);
    expect(error.message).toContain(JSON.stringify(path));
  });
});
