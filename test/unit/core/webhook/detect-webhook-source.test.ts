import { describe, expect, it } from "vitest";
import { detectWebhookSource } from "../../../../functions/core/webhook/detect-webhook-source.js";

describe("detectWebhookSource", () => {
  it.each([
    [{ "X-GitHub-Event": "push" }, { provider: "github", host: "GitHub", event: "push" }],
    [{ "x-gitlab-event": "Push Hook" }, { provider: "gitlab", host: "GitLab", event: "Push Hook" }],
    [{ "x-event-key": "repo:push" }, { provider: "bitbucket", host: "Bitbucket", event: "repo:push" }],
    [
      { "x-event-key": "repo:refs_changed", "x-request-id": "5b0e7c1a" },
      { provider: "bitbucket", host: "Bitbucket Server", event: "repo:refs_changed" },
    ],
    [
      { "x-event-key": "repo:modified", "x-request-id": "5b0e7c1a" },
      { provider: "bitbucket", host: "Bitbucket Server", event: "repo:modified" },
    ],
    [
      { "x-event-key": "repo:updated", "x-request-uuid": "d2c1b0a9", "x-hook-uuid": "{0e4f}" },
      { provider: "bitbucket", host: "Bitbucket", event: "repo:updated" },
    ],
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
