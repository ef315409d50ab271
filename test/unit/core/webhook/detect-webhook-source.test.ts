import { describe, expect, it } from "vitest";
import { detectWebhookSource } from "../../../../functions/core/webhook/detect-webhook-source.js";

describe("detectWebhookSource", () => {
  it.each([
    [{ "X-GitHub-Event": "push" }, { provider: "github", host: "GitHub", event: "push" }],
    [{ "x-gitlab-event": "Push Hook" }, { provider: "gitlab", host: "GitLab", event: "Push Hook" }],
    [{ "x-event-key": "repo:push" }, { provider: "bitbucket", host: "Bitbucket", event: "repo:push" }],
    [
      { "x-gitea-event": "push", "x-github-event": "push" },
      { provider: "gitea", host: "Gitea", event: "push" },
    ],
    [
      { "x-forgejo-event": "push", "x-gitea-event": "push", "x-github-event": "push" },
      { provider: "gitea", host: "Forgejo", event: "push" },
    ],
  ])("tells the sender of %j", (headers, expected) => {
    // Arrange
    const input = headers;

    // Act
    const source = detectWebhookSource(input);

    // Assert
    expect(source).toEqual(expected);
  });

  it("knows no sender without an event header", () => {
    // Arrange
    const headers = { "content-type": "application/json", "x-github-event": "  " };

    // Act
    const source = detectWebhookSource(headers);

    // Assert
    expect(source).toBeUndefined();
  });
});
