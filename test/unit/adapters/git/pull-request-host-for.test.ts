import { describe, expect, it } from "vitest";
import { GitHubPullRequests } from "../../../../functions/adapters/git/github-pull-requests.js";
import { GitLabMergeRequests } from "../../../../functions/adapters/git/gitlab-merge-requests.js";
import { pullRequestHostFor } from "../../../../functions/adapters/git/pull-request-host-for.js";
import type { GitCredentialsProvider } from "../../../../functions/core/ports/git-credentials.js";

const REQUEST = {
  repo: "https://git.example.test/acme/deploy.git",
  branch: "shipline/production/demo",
  base: "main",
  title: "deploy(production): demo v2",
  body: "b",
};

function credentials(asked: string[]): GitCredentialsProvider {
  return {
    kind: "token",
    async credentials(repoUrl) {
      asked.push(repoUrl);
      return { username: "x-access-token", password: "short-lived-token" };
    },
  };
}

/** A fetch that records each call and answers like a host with no open pull request yet. */
function recordingFetch(calls: { url: string; authorization: string | null }[]): typeof fetch {
  return async (input, init) => {
    calls.push({ url: String(input), authorization: new Headers(init?.headers).get("authorization") });
    const created = init?.method === "POST";
    const body = created
      ? {
          number: 7,
          iid: 7,
          html_url: "https://git.example.test/pr/7",
          web_url: "https://git.example.test/pr/7",
        }
      : [];
    return new Response(JSON.stringify(body), { status: created ? 201 : 200 });
  };
}

describe("pullRequestHostFor", () => {
  it("answers no host when the config has no pullRequest section", () => {
    // Arrange
    const options = { config: undefined, credentials: credentials([]) };

    // Act
    const host = pullRequestHostFor(options);

    // Assert
    expect(host).toBeUndefined();
  });

  it("builds the GitHub host on the configured API base, authenticated with the writer's credentials", async () => {
    // Arrange
    const asked: string[] = [];
    const calls: { url: string; authorization: string | null }[] = [];
    const host = pullRequestHostFor({
      config: { provider: "github", apiUrl: "https://ghe.example.test/api/v3" },
      credentials: credentials(asked),
      fetch: recordingFetch(calls),
    });

    // Act
    const result = await host?.openOrUpdatePullRequest(REQUEST);

    // Assert
    expect(host).toBeInstanceOf(GitHubPullRequests);
    expect(result).toEqual({ url: "https://git.example.test/pr/7", number: 7, updated: false });
    expect(asked).toEqual([REQUEST.repo]);
    expect(calls[0]?.url).toMatch(/^https:\/\/ghe\.example\.test\/api\/v3\/repos\/acme\/deploy\/pulls\?/);
    expect(calls.map((call) => call.authorization)).toEqual([
      "Bearer short-lived-token",
      "Bearer short-lived-token",
    ]);
  });

  it("builds the GitLab host for provider gitlab", () => {
    // Arrange
    const options = { config: { provider: "gitlab" as const }, credentials: credentials([]) };

    // Act
    const host = pullRequestHostFor(options);

    // Assert
    expect(host).toBeInstanceOf(GitLabMergeRequests);
  });
});
