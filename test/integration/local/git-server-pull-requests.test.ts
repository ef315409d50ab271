import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubPullRequests } from "../../../functions/adapters/git/github-pull-requests.js";
import { LocalGitServer } from "../../../functions/local/git-server/local-git-server.js";
import type { LocalPullRequest } from "../../../functions/local/git-server/pull-request-store.js";
import {
  callApi,
  gitOk,
  type PullRequestWorld,
  pushPayloadsFor,
  READER,
  type SeededRepository,
  type SeedOptions,
  seedRepository,
  shaOf,
  startWorld,
  stopWorld,
  tokenFor,
  WRITER,
} from "./git-server-pull-requests-kit.js";

let world: PullRequestWorld;
let repositories = 0;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await stopWorld(world);
});

/** A fresh repository per test, so tests share the server but not their branches. */
async function freshRepository(options: SeedOptions = {}): Promise<SeededRepository> {
  repositories += 1;
  return seedRepository(world, `pr-${repositories}`, options);
}

function adapter(token: string, fetchFn: typeof fetch = fetch): GitHubPullRequests {
  return new GitHubPullRequests({ apiUrl: world.server.apiUrl, token: async () => token, fetch: fetchFn });
}

function pulls(repository: SeededRepository, rest = ""): string {
  return `/repos/local/${repository.name}/pulls${rest}`;
}

describe("LocalGitServer pull requests through the GitHubPullRequests adapter", () => {
  it("opens a pull request, then updates the same one on a second call for the branch", async () => {
    // Arrange
    const repo = await freshRepository({
      branches: { "shipline/production/demo": { "deploy.yaml": "image: demo:v2\n" } },
    });
    const host = adapter(repo.token);
    const request = {
      repo: world.server.pullRequestRepoUrl(repo.name),
      branch: "shipline/production/demo",
      base: "main",
      title: "Deploy demo v2",
      body: "first",
    };

    // Act
    const opened = await host.openOrUpdatePullRequest(request);
    const updated = await host.openOrUpdatePullRequest({
      ...request,
      title: "Deploy demo v3",
      body: "second",
    });

    // Assert
    expect(opened).toEqual({
      url: `${world.server.baseUrl}/${repo.name}/pull/1`,
      number: 1,
      updated: false,
    });
    expect(updated).toEqual({ ...opened, updated: true });
    const listed = await callApi(world, "GET", pulls(repo, "?state=all"), { token: repo.token });
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    expect(listed.body).toMatchObject([
      {
        number: 1,
        state: "open",
        title: "Deploy demo v3",
        body: "second",
        merged: false,
        merged_at: null,
        merge_commit_sha: null,
        user: { login: "shipline-config-writer" },
        head: { ref: "shipline/production/demo", label: "local:shipline/production/demo" },
        base: { ref: "main", sha: repo.main, label: "local:main" },
      },
    ]);
  });

  it("keeps one open pull request when two writers open one for the same branch at once", async () => {
    // Arrange
    const repo = await freshRepository({
      branches: { "shipline/staging/demo": { "deploy.yaml": "image: demo:v2\n" } },
    });
    const request = {
      repo: world.server.pullRequestRepoUrl(repo.name),
      branch: "shipline/staging/demo",
      base: "main",
      title: "Deploy demo",
      body: "",
    };

    // Act
    const results = await Promise.all([
      adapter(repo.token).openOrUpdatePullRequest(request),
      adapter(repo.token).openOrUpdatePullRequest(request),
    ]);

    // Assert
    expect(results.map((result) => result.number)).toEqual([1, 1]);
    expect(results.map((result) => result.updated).sort()).toEqual([false, true]);
    const open = await callApi(world, "GET", pulls(repo, "?state=open"), { token: repo.token });
    expect(open.body).toHaveLength(1);
  });

  it("answers GitHub's 422 to a second create for an open head and the adapter updates the winner", async () => {
    // Arrange
    const repo = await freshRepository({
      branches: { "shipline/production/api": { "api.yaml": "image: api:v2\n" } },
    });
    const create = { title: "Other writer", head: "shipline/production/api", base: "main", body: "" };
    let raced = false;
    const racingFetch: typeof fetch = async (input, init) => {
      if (init?.method === "POST" && !raced) {
        raced = true;
        await callApi(world, "POST", pulls(repo), { token: repo.token, body: create });
      }
      return fetch(input, init);
    };

    // Act
    const result = await adapter(repo.token, racingFetch).openOrUpdatePullRequest({
      repo: world.server.pullRequestRepoUrl(repo.name),
      branch: "shipline/production/api",
      base: "main",
      title: "Deploy api",
      body: "from the adapter",
    });
    const second = await callApi(world, "POST", pulls(repo), {
      token: repo.token,
      body: { ...create, head: "local:shipline/production/api" },
    });

    // Assert
    expect(raced).toBe(true);
    expect(second).toEqual({
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [
          {
            resource: "PullRequest",
            code: "custom",
            message: "A pull request already exists for local:shipline/production/api.",
          },
        ],
        documentation_url: expect.any(String),
        status: "422",
      },
    });
    expect(result).toMatchObject({ number: 1, updated: true });
    const got = await callApi(world, "GET", pulls(repo, "/1"), { token: repo.token });
    expect(got.body).toMatchObject({ title: "Deploy api", body: "from the adapter", state: "open" });
  });

  it("accepts a two-part repository's clone URL as the adapter's repository", async () => {
    // Arrange
    await seedRepository(world, "team/app", { branches: { feature: { "app.txt": "v2\n" } } });
    const token = await tokenFor(world, WRITER, "team/app");

    // Act
    const result = await adapter(token).openOrUpdatePullRequest({
      repo: world.server.cloneUrl("team/app"),
      branch: "feature",
      base: "main",
      title: "Feature",
      body: "",
    });

    // Assert
    expect(world.server.pullRequestRepoUrl("team/app")).toBe(`${world.server.baseUrl}/team/app`);
    expect(result).toEqual({ url: `${world.server.baseUrl}/team/app/pull/1`, number: 1, updated: false });
  });
});

describe("LocalGitServer pull request validation", () => {
  let repo: SeededRepository;

  beforeAll(async () => {
    repo = await freshRepository({ branches: { feature: { "deploy.yaml": "image: demo:v2\n" } } });
    await gitOk(world, repo.work, ["push", "--quiet", "origin", "main:same"], repo.token);
  });

  it.each([
    ["a head branch that does not exist", { head: "missing", base: "main" }, "head"],
    ["a base branch that does not exist", { head: "feature", base: "missing" }, "base"],
    ["a head of another owner", { head: "someone:feature", base: "main" }, "head"],
  ])("refuses %s with 422 naming the field", async (_case, branches, field) => {
    // Arrange
    const body = { title: "Deploy", body: "", ...branches };

    // Act
    const answer = await callApi(world, "POST", pulls(repo), { token: repo.token, body });

    // Assert
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "PullRequest", code: "invalid", field }],
    });
  });

  it("refuses a pull request whose head has no commits the base lacks", async () => {
    // Arrange
    const body = { title: "Nothing", head: "same", base: "main" };

    // Act
    const answer = await callApi(world, "POST", pulls(repo), { token: repo.token, body });

    // Assert
    expect(answer).toMatchObject({
      status: 422,
      body: { errors: [{ code: "custom", message: "No commits between main and same" }] },
    });
  });

  it.each([
    ["a missing title", { head: "feature", base: "main" }, undefined, '"title" wasn\'t supplied.'],
    [
      "a title that is not a string",
      { title: 5, head: "feature", base: "main" },
      undefined,
      "For 'title', 5",
    ],
    ["a body that is not JSON", undefined, "{title:", "Problems parsing JSON"],
  ])("answers 422 to %s", async (_case, body, rawBody, message) => {
    // Arrange
    const request = {
      token: repo.token,
      ...(body === undefined ? {} : { body }),
      ...(rawBody === undefined ? {} : { rawBody }),
    };

    // Act
    const answer = await callApi(world, "POST", pulls(repo), request);

    // Assert
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ message: expect.stringContaining(message) });
  });
});

describe("LocalGitServer pull request merges", () => {
  it("merges with a merge commit on the base branch and sends the base branch's push webhook", async () => {
    // Arrange
    const repo = await freshRepository({
      branches: { "shipline/production/demo": { "deploy.yaml": "image: v2\n" } },
      mainAfter: { "README.md": "# config\n" },
    });
    const head = repo.heads["shipline/production/demo"];
    const mainNow = repo.main;
    await world.server.idle();
    await callApi(world, "POST", pulls(repo), {
      token: repo.token,
      body: { title: "Deploy demo v2", head: "shipline/production/demo", base: "main", body: "" },
    });

    // Act
    const merged = await callApi(world, "PUT", pulls(repo, "/1/merge"), {
      token: repo.token,
      body: { sha: head },
    });
    await world.server.idle();

    // Assert
    expect(merged).toMatchObject({
      status: 200,
      body: { merged: true, message: "Pull Request successfully merged", sha: expect.any(String) },
    });
    const sha = shaOf(merged);
    await gitOk(world, repo.work, ["fetch", "--quiet", "origin"], repo.token);
    expect(await gitOk(world, repo.work, ["rev-parse", "origin/main"])).toBe(sha);
    expect(await gitOk(world, repo.work, ["rev-list", "--parents", "-n", "1", sha])).toBe(
      `${sha} ${mainNow} ${head}`,
    );
    expect(await gitOk(world, repo.work, ["log", "-1", "--format=%B", sha])).toBe(
      "Merge pull request #1 from local:shipline/production/demo\n\nDeploy demo v2",
    );
    expect(await gitOk(world, repo.work, ["show", `${sha}:deploy.yaml`])).toBe("image: v2");
    expect(await gitOk(world, repo.work, ["show", `${sha}:README.md`])).toBe("# config");
    const [payload] = pushPayloadsFor(world, "refs/heads/main", sha);
    expect(payload).toMatchObject({
      before: mainNow,
      after: sha,
      forced: false,
      repository: { full_name: repo.name },
      pusher: { name: WRITER },
      head_commit: { id: sha },
      commits: [{ id: head }, { id: sha }],
    });
    const got = await callApi(world, "GET", pulls(repo, "/1"), { token: repo.token });
    expect(got.body).toMatchObject({
      state: "closed",
      merged: true,
      merge_commit_sha: sha,
      merged_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      merged_by: { login: "shipline-config-writer" },
      head: { sha: head },
    });
    const check = await callApi(world, "GET", pulls(repo, "/1/merge"), { token: repo.token });
    expect(check.status).toBe(204);
  });

  it("squashes into one commit on the base branch keeping the single commit's message", async () => {
    // Arrange
    const repo = await freshRepository({ branches: { feature: { "deploy.yaml": "image: v3\n" } } });
    await callApi(world, "POST", pulls(repo), {
      token: repo.token,
      body: { title: "Deploy v3", head: "feature", base: "main" },
    });

    // Act
    const merged = await callApi(world, "PUT", pulls(repo, "/1/merge"), {
      token: repo.token,
      body: { merge_method: "squash" },
    });

    // Assert
    const sha = shaOf(merged);
    await gitOk(world, repo.work, ["fetch", "--quiet", "origin"], repo.token);
    expect(await gitOk(world, repo.work, ["rev-list", "--parents", "-n", "1", "origin/main"])).toBe(
      `${sha} ${repo.main}`,
    );
    expect(await gitOk(world, repo.work, ["log", "-1", "--format=%s", sha])).toBe(
      "Change deploy.yaml on feature (#1)",
    );
    expect(await gitOk(world, repo.work, ["show", `${sha}:deploy.yaml`])).toBe("image: v3");
  });

  it("refuses a conflicting merge with 405 and moves nothing", async () => {
    // Arrange
    const repo = await freshRepository({
      branches: { feature: { "deploy.yaml": "image: from-branch\n" } },
      mainAfter: { "deploy.yaml": "image: from-main\n" },
    });
    await callApi(world, "POST", pulls(repo), {
      token: repo.token,
      body: { title: "Conflict", head: "feature", base: "main" },
    });
    await world.server.idle();
    const received = world.receiver.received.length;

    // Act
    const answer = await callApi(world, "PUT", pulls(repo, "/1/merge"), { token: repo.token });
    await world.server.idle();

    // Assert
    expect(answer).toMatchObject({ status: 405, body: { message: "Pull Request is not mergeable" } });
    await gitOk(world, repo.work, ["fetch", "--quiet", "origin"], repo.token);
    expect(await gitOk(world, repo.work, ["rev-parse", "origin/main"])).toBe(repo.main);
    expect(world.receiver.received.length).toBe(received);
    const got = await callApi(world, "GET", pulls(repo, "/1"), { token: repo.token });
    expect(got.body).toMatchObject({ state: "open", merged: false, mergeable: false });
  });

  it("refuses with 409 when the head is not the commit the caller expects", async () => {
    // Arrange
    const repo = await freshRepository({ branches: { feature: { "deploy.yaml": "image: v2\n" } } });
    await callApi(world, "POST", pulls(repo), {
      token: repo.token,
      body: { title: "Deploy", head: "feature", base: "main" },
    });

    // Act
    const answer = await callApi(world, "PUT", pulls(repo, "/1/merge"), {
      token: repo.token,
      body: { sha: repo.main },
    });

    // Assert
    expect(answer).toMatchObject({ status: 409, body: { message: expect.stringContaining("Head branch") } });
    await gitOk(world, repo.work, ["fetch", "--quiet", "origin"], repo.token);
    expect(await gitOk(world, repo.work, ["rev-parse", "origin/main"])).toBe(repo.main);
  });

  it("refuses with 405 to merge a closed pull request", async () => {
    // Arrange
    const repo = await freshRepository({ branches: { feature: { "deploy.yaml": "image: v2\n" } } });
    await callApi(world, "POST", pulls(repo), {
      token: repo.token,
      body: { title: "Deploy", head: "feature", base: "main" },
    });
    const closed = await callApi(world, "PATCH", pulls(repo, "/1"), {
      token: repo.token,
      body: { state: "closed" },
    });

    // Act
    const answer = await callApi(world, "PUT", pulls(repo, "/1/merge"), { token: repo.token });

    // Assert
    expect(closed.body).toMatchObject({ state: "closed", closed_at: expect.any(String), merged: false });
    expect(answer).toMatchObject({ status: 405, body: { message: "Pull Request is not mergeable" } });
  });

  it("merges through mergePullRequest and lists the merged pull request", async () => {
    // Arrange
    const repo = await freshRepository({ branches: { feature: { "deploy.yaml": "image: v4\n" } } });
    await callApi(world, "POST", pulls(repo), {
      token: repo.token,
      body: { title: "Deploy v4", head: "feature", base: "main", body: "why" },
    });

    // Act
    const { sha } = await world.server.mergePullRequest(repo.name, 1, { mergedBy: "reviewer" });
    await world.server.idle();

    // Assert
    const [listed] = await world.server.listPullRequests(repo.name);
    expect(listed).toMatchObject({
      number: 1,
      state: "closed",
      title: "Deploy v4",
      body: "why",
      head: { ref: "feature", sha: repo.heads.feature },
      base: { ref: "main", sha: repo.main },
      mergeCommitSha: sha,
      mergedBy: "reviewer",
    });
    expect(listed?.mergedAt).toBeInstanceOf(Date);
    expect(pushPayloadsFor(world, "refs/heads/main", sha)).toMatchObject([{ pusher: { name: "reviewer" } }]);
    await expect(world.server.mergePullRequest(repo.name, 1)).rejects.toMatchObject({
      code: "PULL_REQUEST_NOT_MERGEABLE",
    });
  });
});

describe("LocalGitServer pull request refusals", () => {
  let repo: SeededRepository;
  let other: SeededRepository;

  beforeAll(async () => {
    repo = await freshRepository({ branches: { feature: { "deploy.yaml": "image: v2\n" } } });
    other = await freshRepository();
  });

  it.each([
    ["no token", () => undefined, 401],
    ["a token that is not valid", () => "Bearer not-a-token", 401],
    ["a token for another repository", (other: string) => `Bearer ${other}`, 403],
  ])("answers %s with JSON", async (_case, header, status) => {
    // Arrange
    const authorization = header(other.token);

    // Act
    const answer = await callApi(world, "GET", pulls(repo), {
      ...(authorization === undefined ? {} : { authorization }),
    });

    // Assert
    expect(answer).toMatchObject({ status, body: { message: expect.any(String) } });
  });

  it("lets a read-only token list pull requests but not open one", async () => {
    // Arrange
    const reader = await tokenFor(world, READER, repo.name);

    // Act
    const listed = await callApi(world, "GET", pulls(repo), { authorization: `token ${reader}` });
    const created = await callApi(world, "POST", pulls(repo), {
      authorization: `token ${reader}`,
      body: { title: "Deploy", head: "feature", base: "main" },
    });

    // Assert
    expect(listed).toEqual({ status: 200, body: [] });
    expect(created).toMatchObject({ status: 403, body: { message: expect.stringContaining("write") } });
  });

  it.each([
    ["an unknown repository", () => "/repos/local/nothing-here/pulls/1"],
    ["an unknown owner", (name: string) => `/repos/elsewhere/${name}/pulls`],
    ["an unknown pull request", (name: string) => `/repos/local/${name}/pulls/1`],
    ["an unknown route", (name: string) => `/repos/local/${name}/issues`],
  ])("answers 404 Not Found for %s", async (_case, route) => {
    // Arrange
    const target = route(repo.name);

    // Act
    const answer = await callApi(world, "GET", target, { token: repo.token });

    // Assert
    expect(answer).toMatchObject({ status: 404, body: { message: "Not Found" } });
  });
});

describe("LocalGitServer pull request storage", () => {
  it("keeps pull requests across a restart and goes on numbering", async () => {
    // Arrange
    const repo = await freshRepository({
      branches: { first: { "a.txt": "a\n" }, second: { "b.txt": "b\n" } },
    });
    await callApi(world, "POST", pulls(repo), {
      token: repo.token,
      body: { title: "First", head: "first", base: "main" },
    });
    await world.server.stop();
    const restarted = new LocalGitServer({ rootDir: world.rootDir, tokenVerifier: world.oidc });

    // Act
    let answer: { status: number; created: unknown };
    let before: LocalPullRequest[];
    let after: LocalPullRequest[];
    try {
      await restarted.start();
      before = await restarted.listPullRequests(repo.name);
      const response = await fetch(`${restarted.apiUrl}${pulls(repo)}`, {
        method: "POST",
        headers: { authorization: `Bearer ${repo.token}`, "content-type": "application/json" },
        body: JSON.stringify({ title: "Second", head: "second", base: "main" }),
      });
      answer = { status: response.status, created: await response.json() };
      after = await restarted.listPullRequests(repo.name);
    } finally {
      await restarted.stop();
      await world.server.start();
    }

    // Assert
    expect(before.map((pr) => [pr.number, pr.title])).toEqual([[1, "First"]]);
    expect(answer).toMatchObject({ status: 201, created: { number: 2, title: "Second" } });
    expect(after.map((pr) => pr.number)).toEqual([1, 2]);
  });
});
