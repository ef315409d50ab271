import { describe, expect, it } from "vitest";
import {
  isApiPath,
  parsePullRequestRoute,
} from "../../../../functions/local/git-server/pull-request-route.js";

describe("parsePullRequestRoute", () => {
  it.each([
    ["GET", "/api/v3/repos/local/config/pulls", { action: "list", owner: "local", name: "config" }],
    ["POST", "/api/v3/repos/local/config/pulls", { action: "create", owner: "local", name: "config" }],
    ["GET", "/api/v3/repos/team/app/pulls/12", { action: "get", owner: "team", name: "app", number: 12 }],
    [
      "PATCH",
      "/api/v3/repos/team/app/pulls/12",
      { action: "update", owner: "team", name: "app", number: 12 },
    ],
    [
      "PUT",
      "/api/v3/repos/team/app/pulls/3/merge",
      { action: "merge", owner: "team", name: "app", number: 3 },
    ],
    [
      "GET",
      "/api/v3/repos/team/app/pulls/3/merge",
      { action: "merged", owner: "team", name: "app", number: 3 },
    ],
    ["GET", "/api/v3/repos/my%2Dorg/app/pulls", { action: "list", owner: "my-org", name: "app" }],
  ])("routes %s %s", (method, pathname, expected) => {
    // Arrange
    // Act
    const route = parsePullRequestRoute(method, pathname);

    // Assert
    expect(route).toEqual(expected);
  });

  it.each([
    ["DELETE", "/api/v3/repos/local/config/pulls"],
    ["PUT", "/api/v3/repos/local/config/pulls/1"],
    ["GET", "/api/v3/repos/local/config/pulls/0"],
    ["GET", "/api/v3/repos/local/config/issues"],
    ["GET", "/api/v3/repos/local/pulls"],
    ["GET", "/api/v3/repos/local/%E0%A4%A/pulls"],
  ])("answers nothing for %s %s", (method, pathname) => {
    // Arrange
    // Act
    const route = parsePullRequestRoute(method, pathname);

    // Assert
    expect(route).toBeUndefined();
  });
});

describe("isApiPath", () => {
  it("tells the API from git paths, even of a repository named api/v3", () => {
    // Arrange
    const paths = ["/api/v3", "/api/v3/repos/a/b/pulls", "/api/v3.git/info/refs", "/config.git/info/refs"];

    // Act
    const answers = paths.map(isApiPath);

    // Assert
    expect(answers).toEqual([true, true, false, false]);
  });
});
