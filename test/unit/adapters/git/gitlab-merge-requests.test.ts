import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitLabMergeRequests } from "../../../../functions/adapters/git/gitlab-merge-requests.js";
import { pullRequestBranch } from "../../../../functions/core/ports/pull-request-host.js";
import {
  type CannedAnswer,
  type RecordedRequest,
  type RecordingServer,
  startRecordingServer,
} from "../aws/git-credentials/recording-server.js";

const REPO = "https://gitlab.com/acme/platform/deploy.git";
const TOKEN = "glpat-projectAccessTokenForMergeRequests";
const BRANCH = pullRequestBranch("production", "demo");
const PROJECT = "/api/v4/projects/acme%2Fplatform%2Fdeploy/merge_requests";
const REQUEST = {
  repo: REPO,
  branch: BRANCH,
  base: "main",
  title: "deploy(production): demo 1.2.0-abc1234",
  body: "Image sha256:...",
};

/** A merge request as GitLab's REST API (v4) returns it. */
function gitlabMergeRequest(iid: number, title: string): Record<string, unknown> {
  return {
    id: 84_000_000 + iid,
    iid,
    project_id: 278964,
    title,
    description: "Image sha256:...",
    state: "opened",
    target_branch: "main",
    source_branch: BRANCH,
    author: { id: 1, username: "shipline-bot" },
    merge_status: "can_be_merged",
    sha: "c".repeat(40),
    web_url: `https://gitlab.com/acme/platform/deploy/-/merge_requests/${iid}`,
  };
}

let server: RecordingServer | undefined;
let route: (request: RecordedRequest) => CannedAnswer;

function host(): GitLabMergeRequests {
  return new GitLabMergeRequests({ apiUrl: `${server?.url ?? ""}/api/v4/`, token: async () => TOKEN });
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

describe("GitLabMergeRequests", () => {
  it("looks for an opened merge request from the branch, then opens one into the base", async () => {
    // Arrange
    route = (request) =>
      request.method === "GET"
        ? { status: 200, body: [] }
        : { status: 201, body: gitlabMergeRequest(5, REQUEST.title) };

    // Act
    const result = await host().openOrUpdatePullRequest(REQUEST);

    // Assert
    const [listed, created] = server?.requests ?? [];
    const query = new URL(listed?.url ?? "", "http://x");
    expect(listed?.method).toBe("GET");
    expect(listed?.url.split("?")[0]).toBe(PROJECT);
    expect(Object.fromEntries(query.searchParams)).toEqual({ source_branch: BRANCH, state: "opened" });
    expect(created?.method).toBe("POST");
    expect(created?.url).toBe(PROJECT);
    expect(created?.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json",
    });
    expect(bodyOf(created)).toEqual({
      source_branch: BRANCH,
      target_branch: "main",
      title: REQUEST.title,
      description: REQUEST.body,
      remove_source_branch: true,
    });
    expect(result).toEqual({
      url: "https://gitlab.com/acme/platform/deploy/-/merge_requests/5",
      number: 5,
      updated: false,
    });
  });

  it("updates the opened merge request instead of opening a second one", async () => {
    // Arrange
    route = (request) =>
      request.method === "GET"
        ? { status: 200, body: [gitlabMergeRequest(12, "deploy(production): demo 1.1.0")] }
        : { status: 200, body: gitlabMergeRequest(12, REQUEST.title) };

    // Act
    const result = await host().openOrUpdatePullRequest(REQUEST);

    // Assert
    const [, put] = server?.requests ?? [];
    expect(server?.requests.map((request) => request.method)).toEqual(["GET", "PUT"]);
    expect(put?.url).toBe(`${PROJECT}/12`);
    expect(bodyOf(put)).toEqual({ title: REQUEST.title, description: REQUEST.body, target_branch: "main" });
    expect(result).toMatchObject({ number: 12, updated: true });
  });

  it("updates the merge request another writer opened meanwhile (409 conflict)", async () => {
    // Arrange
    let lists = 0;
    route = (request) => {
      if (request.method === "GET") {
        lists += 1;
        return { status: 200, body: lists === 1 ? [] : [gitlabMergeRequest(3, "older")] };
      }
      if (request.method === "POST") {
        return {
          status: 409,
          body: { message: [`Another open merge request already exists for this source branch: !3`] },
        };
      }
      return { status: 200, body: gitlabMergeRequest(3, REQUEST.title) };
    };

    // Act
    const result = await host().openOrUpdatePullRequest(REQUEST);

    // Assert
    expect(server?.requests.map((request) => request.method)).toEqual(["GET", "POST", "GET", "PUT"]);
    expect(result).toMatchObject({ number: 3, updated: true });
  });

  it("fails permanently with GitLab's message when the token may not act, without the token", async () => {
    // Arrange
    route = () => ({ status: 403, body: { message: "403 Forbidden" } });

    // Act
    const error = await host()
      .openOrUpdatePullRequest(REQUEST)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      code: "PULL_REQUEST_FAILED",
      retryable: false,
      data: { provider: "gitlab", status: 403 },
    });
    const text =
      error instanceof Error ? `${error.message}${JSON.stringify(Reflect.get(error, "data"))}` : "";
    expect(text).toContain("403 Forbidden");
    expect(text).not.toContain(TOKEN);
  });

  it("fails retryably when GitLab cannot be reached", async () => {
    // Arrange
    const unreachable = new GitLabMergeRequests({
      apiUrl: "http://127.0.0.1:9/api/v4",
      token: async () => TOKEN,
    });

    // Act
    const error = await unreachable.openOrUpdatePullRequest(REQUEST).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "PULL_REQUEST_FAILED", retryable: true });
    expect(error instanceof Error ? error.message : "").not.toContain(TOKEN);
  });
});
