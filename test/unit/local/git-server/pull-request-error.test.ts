import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import {
  pullRequestApiAnswer,
  pullRequestError,
  validationFailed,
} from "../../../../functions/local/git-server/pull-request-error.js";

describe("pullRequestApiAnswer", () => {
  it("answers a refused create with GitHub's Validation Failed body", () => {
    // Arrange
    const error = validationFailed("already open; update that one", [
      { resource: "PullRequest", code: "custom", message: "A pull request already exists for local:x." },
    ]);

    // Act
    const answer = pullRequestApiAnswer(error);

    // Assert
    expect(answer).toEqual({
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [
          { resource: "PullRequest", code: "custom", message: "A pull request already exists for local:x." },
        ],
        documentation_url: expect.any(String),
        status: "422",
      },
    });
  });

  it.each([
    ["PULL_REQUEST_NOT_MERGEABLE", 405, "Pull Request is not mergeable"],
    ["PULL_REQUEST_NOT_FOUND", 404, "Not Found"],
    ["PULL_REQUEST_HEAD_MODIFIED", 409, "Head branch was modified. Review and try the merge again."],
    ["PULL_REQUEST_REQUEST_INVALID", 422, "the detailed reason"],
  ] as const)("answers %s with %i", (code, status, message) => {
    // Arrange
    const error = pullRequestError(code, "the detailed reason");

    // Act
    const answer = pullRequestApiAnswer(error);

    // Assert
    expect(answer).toMatchObject({ status, body: { message } });
  });

  it("leaves other errors to the server", () => {
    // Arrange
    const error = new ShiplineError({ code: "GIT_COMMAND_FAILED", message: "git failed" });

    // Act
    const answer = pullRequestApiAnswer(error);

    // Assert
    expect(answer).toBeUndefined();
  });
});
