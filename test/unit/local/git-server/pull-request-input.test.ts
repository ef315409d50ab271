import { describe, expect, it } from "vitest";
import {
  parseCreatePullRequest,
  parseListPullRequests,
  parseMergePullRequest,
  parseUpdatePullRequest,
} from "../../../../functions/local/git-server/pull-request-input.js";

describe("pull request inputs", () => {
  it("reads a create body, a missing description being null", () => {
    // Arrange
    const body = { title: "Deploy", head: "local:feature", base: "main", draft: false };

    // Act
    const input = parseCreatePullRequest(body);

    // Assert
    expect(input).toEqual({ title: "Deploy", head: "local:feature", base: "main", body: null });
  });

  it.each([
    [{ head: "feature", base: "main" }, "title", '"title" wasn\'t supplied.'],
    [{ title: "Deploy", head: 7, base: "main" }, "head", "For 'head', 7 is not valid"],
    [["not", "an", "object"], undefined, "must be a JSON object"],
  ])("refuses %j with PULL_REQUEST_REQUEST_INVALID naming the field", (body, field, message) => {
    // Arrange
    // Act
    const parse = () => parseCreatePullRequest(body);

    // Assert
    expect(parse).toThrow(
      expect.objectContaining({
        code: "PULL_REQUEST_REQUEST_INVALID",
        message: expect.stringContaining(message),
        data: expect.objectContaining(field === undefined ? { status: 422 } : { field, status: 422 }),
      }),
    );
  });

  it("keeps only the fields an update gives", () => {
    // Arrange
    const body = { body: null, state: "closed" };

    // Act
    const input = parseUpdatePullRequest(body);

    // Assert
    expect(input).toEqual({ body: null, state: "closed" });
  });

  it("refuses an update to an unknown state", () => {
    // Arrange
    const body = { state: "merged" };

    // Act
    const parse = () => parseUpdatePullRequest(body);

    // Assert
    expect(parse).toThrow(expect.objectContaining({ data: expect.objectContaining({ field: "state" }) }));
  });

  it("merges with a merge commit when the body says nothing", () => {
    // Arrange
    // Act
    const input = parseMergePullRequest(undefined);

    // Assert
    expect(input).toEqual({ method: "merge" });
  });

  it("reads the merge method, expected head and commit text", () => {
    // Arrange
    const sha = "a".repeat(40);

    // Act
    const input = parseMergePullRequest({
      merge_method: "squash",
      sha,
      commit_title: "T",
      commit_message: "M",
    });

    // Assert
    expect(input).toEqual({ method: "squash", sha, commitTitle: "T", commitMessage: "M" });
  });

  it("reads a list query with GitHub's defaults", () => {
    // Arrange
    const search = new URLSearchParams("head=local:feature");

    // Act
    const query = parseListPullRequests(search);

    // Assert
    expect(query).toEqual({ state: "open", head: "local:feature", perPage: 30, page: 1 });
  });

  it("refuses a page size above 100", () => {
    // Arrange
    const search = new URLSearchParams("per_page=101");

    // Act
    const parse = () => parseListPullRequests(search);

    // Assert
    expect(parse).toThrow(expect.objectContaining({ data: expect.objectContaining({ field: "per_page" }) }));
  });
});
