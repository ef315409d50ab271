import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubPullRequests } from "../../../../functions/adapters/git/github-pull-requests.js";
import { pullRequestBranch } from "../../../../functions/core/ports/pull-request-host.js";
import {
  type CannedAnswer,
  type RecordedRequest,
  type RecordingServer,
  startRecordingServer,
} from "../aws/git-credentials/recording-server.js";

const REPO = "https://github.com/acme/deploy.git";
const TOKEN = "ghs_installationTokenForPullRequests01";
const BRANCH = pullRequestBranch("production", "demo");
const REQUEST = {
  repo: REPO,
  branch: BRANCH,
  base: "main",
  title: "deploy(production): demo 1.2.0-abc1234",
  body: "Image sha256:...",
};

/** A pull request as GitHub's REST API returns it (the fields Shipline reads, and some it does not). */
function githubPull(number: number, title: string): Record<string, unknown> {
  return {
    url: `https://api.github.com/repos/acme/deploy/pulls/${number}`,
    id: 1_000_000 + number,
    node_id: "PR_kwDOA",
    html_url: `https://github.com/acme/deploy/pull/${number}`,
    number,
    state: "open",
    locked: false,
    title,
    user: { login: "shipline[bot]", type: "Bot" },
    body: "Image sha256:...",
    head: { label: `acme:${BRANCH}`, ref: BRANCH, sha: "a".repeat(40) },
    base: { label: "acme:main", ref: "main", sha: "b".repeat(40) },
    draft: false,
  };
}

let server: RecordingServer | undefined;
let route: (request: RecordedRequest) => CannedAnswer;

function host(): GitHubPullRequests {
  return new GitHubPullRequests({ apiUrl: server?.url ?? "", token: async () => TOKEN });
}

function bodyOf(request: RecordedRequest | undefined): unknown {
  return JSON.parse(request?.body || "null");
}

beforeEach(async () => {
  route = () => ({ status: 500 });
  server = await startRecordingServer((request) => route(request));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("GitHubPullRequests", () => {
  it("looks for an open pull request from the branch, then opens one into the base", async () => {
    // Arrange
    route = (request) =>
      request.method === "GET"
        ? { status: 200, body: [] }
        : { status: 201, body: githubPull(7, REQUEST.title) };

    // Act
    const result = await host().openOrUpdatePullRequest(REQUEST);

    // Assert
    const [listed, created] = server?.requests ?? [];
    const query = new URL(listed?.url ?? "", "http://x");
    expect(listed?.method).toBe("GET");
    expect(query.pathname).toBe("/repos/acme/deploy/pulls");
    expect(Object.fromEntries(query.searchParams)).toEqual({
      head: "acme:shipline/production/demo",
      state: "open",
      per_page: "1",
    });
    expect(created?.method).toBe("POST");
    expect(created?.url).toBe("/repos/acme/deploy/pulls");
    expect(created?.headers["content-type"]).toBe("application/json");
    expect(bodyOf(created)).toEqual({ title: REQUEST.title, head: BRANCH, base: "main", body: REQUEST.body });
    expect(result).toEqual({ url: "https://github.com/acme/deploy/pull/7", number: 7, updated: false });
  });

  it("sends the token and GitHub's API headers on every call", async () => {
    // Arrange
    route = (request) =>
      request.method === "GET"
        ? { status: 200, body: [] }
        : { status: 201, body: githubPull(7, REQUEST.title) };

    // Act
    await host().openOrUpdatePullRequest(REQUEST);

    // Assert
    for (const request of server?.requests ?? []) {
      expect(request.headers).toMatchObject({
        authorization: `Bearer ${TOKEN}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "shipline",
      });
    }
  });

  it("updates the open pull request instead of opening a second one", async () => {
    // Arrange
    route = (request) =>
      request.method === "GET"
        ? { status: 200, body: [githubPull(42, "deploy(production): demo 1.1.0")] }
        : { status: 200, body: githubPull(42, REQUEST.title) };

    // Act
    const result = await host().openOrUpdatePullRequest(REQUEST);

    // Assert
    const [, patched] = server?.requests ?? [];
    expect(server?.requests.map((request) => request.method)).toEqual(["GET", "PATCH"]);
    expect(patched?.url).toBe("/repos/acme/deploy/pulls/42");
    expect(bodyOf(patched)).toEqual({ title: REQUEST.title, body: REQUEST.body, base: "main" });
    expect(result).toEqual({ url: "https://github.com/acme/deploy/pull/42", number: 42, updated: true });
  });

  it("keeps one pull request per app and environment over repeated writes", async () => {
    // Arrange
    const open = new Map<string, Record<string, unknown>>();
    route = (request) => {
      const url = new URL(request.url, "http://x");
      if (request.method === "GET") {
        const head = url.searchParams.get("head")?.split(":")[1] ?? "";
        const found = open.get(head);
        return { status: 200, body: found === undefined ? [] : [found] };
      }
      const body = JSON.parse(request.body);
      if (request.method === "POST") {
        const created = githubPull(open.size + 1, body.title);
        open.set(body.head, created);
        return { status: 201, body: created };
      }
      const [existing] = open.values();
      return { status: 200, body: { ...existing, title: body.title } };
    };

    // Act
    const first = await host().openOrUpdatePullRequest(REQUEST);
    const second = await host().openOrUpdatePullRequest({
      ...REQUEST,
      title: "deploy(production): demo 1.3.0",
    });

    // Assert
    expect(open.size).toBe(1);
    expect(first).toMatchObject({ number: 1, updated: false });
    expect(second).toMatchObject({ number: 1, updated: true });
  });

  it("updates the pull request another writer opened meanwhile (422 already exists)", async () => {
    // Arrange
    let lists = 0;
    route = (request) => {
      if (request.method === "GET") {
        lists += 1;
        return { status: 200, body: lists === 1 ? [] : [githubPull(9, "older")] };
      }
      if (request.method === "POST") {
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            errors: [
              {
                resource: "PullRequest",
                code: "custom",
                message: `A pull request already exists for acme:${BRANCH}.`,
              },
            ],
            documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
          },
        };
      }
      return { status: 200, body: githubPull(9, REQUEST.title) };
    };

    // Act
    const result = await host().openOrUpdatePullRequest(REQUEST);

    // Assert
    expect(server?.requests.map((request) => request.method)).toEqual(["GET", "POST", "GET", "PATCH"]);
    expect(result).toEqual({ url: "https://github.com/acme/deploy/pull/9", number: 9, updated: true });
  });

  it("fails permanently with GitHub's message when the base branch is invalid, without the token", async () => {
    // Arrange
    route = (request) =>
      request.method === "GET"
        ? { status: 200, body: [] }
        : {
            status: 422,
            body: {
              message: "Validation Failed",
              errors: [{ resource: "PullRequest", field: "base", code: "invalid" }],
            },
          };

    // Act
    const error = await host()
      .openOrUpdatePullRequest(REQUEST)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      code: "PULL_REQUEST_FAILED",
      retryable: false,
      data: { provider: "github", method: "POST", path: "/repos/acme/deploy/pulls", status: 422 },
    });
    const text =
      error instanceof Error ? `${error.message}${JSON.stringify(Reflect.get(error, "data"))}` : "";
    expect(text).toContain("Validation Failed");
    expect(text).not.toContain(TOKEN);
  });

  it("fails retryably when GitHub answers 5xx or its rate limit is used up", async () => {
    // Arrange
    route = () => ({ status: 502, body: { message: "Server Error" } });
    const failing = await host()
      .openOrUpdatePullRequest(REQUEST)
      .catch((caught: unknown) => caught);
    route = () => ({
      status: 403,
      body: { message: "API rate limit exceeded" },
      headers: { "x-ratelimit-remaining": "0" },
    });

    // Act
    const limited = await host()
      .openOrUpdatePullRequest(REQUEST)
      .catch((caught: unknown) => caught);

    // Assert
    expect(failing).toMatchObject({ code: "PULL_REQUEST_FAILED", retryable: true, data: { status: 502 } });
    expect(limited).toMatchObject({ code: "PULL_REQUEST_FAILED", retryable: true, data: { status: 429 } });
  });

  it("refuses a repository URL that is not owner/name", async () => {
    // Act
    const error = await host()
      .openOrUpdatePullRequest({ ...REQUEST, repo: "https://github.com/acme/group/deploy.git" })
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "PULL_REQUEST_REPOSITORY_INVALID", retryable: false });
    expect(server?.requests).toHaveLength(0);
  });
});
