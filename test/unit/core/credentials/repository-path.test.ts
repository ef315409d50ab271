import { describe, expect, it } from "vitest";
import { repositoryPathOf } from "../../../../functions/core/credentials/repository-path.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

describe("repositoryPathOf", () => {
  it.each([
    ["https://github.com/acme/deploy.git", "acme/deploy"],
    ["https://gitlab.com/acme/platform/deploy/", "acme/platform/deploy"],
    ["http://127.0.0.1:8080/demo-config.git", "demo-config"],
    ["https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/deploy", "v1/repos/deploy"],
  ])("reads the repository of %s as %s", (url, expected) => {
    // Act
    const path = repositoryPathOf(url);

    // Assert
    expect(path).toBe(expected);
  });

  it("refuses a URL with credentials without repeating them", () => {
    // Act
    let error: unknown;
    try {
      repositoryPathOf("https://user:hunter2-secret@github.com/acme/deploy.git");
    } catch (caught) {
      error = caught;
    }

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "GIT_REPOSITORY_URL_INVALID" });
    expect(error instanceof Error ? error.message : "").not.toContain("hunter2-secret");
  });

  it("refuses a value that names no repository", () => {
    // Act / Assert
    expect(() => repositoryPathOf("https://github.com/")).toThrow(/is not an https URL of a repository/);
    expect(() => repositoryPathOf("local:demo")).toThrow(/is not an https URL/);
  });
});
