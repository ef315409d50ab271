import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hostPullRequests } from "../../../../functions/local/cli/commands/host-pull-requests.js";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";

const REPO_ROOT = new URL("../../../../", import.meta.url).pathname;

interface Call {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly authorization: string | null;
}

/** A git host's API that answers from a table of (method, path) → (status, body), and records the calls. */
function fakeHost(answers: Readonly<Record<string, readonly [number, unknown]>>) {
  const calls: Call[] = [];
  const hostFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    const headers = new Headers(init?.headers);
    calls.push({
      method,
      url: `${url.pathname}${url.search}`,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
      authorization: headers.get("authorization"),
    });
    const [status, body] = answers[`${method} ${url.pathname}`] ?? [404, { message: "Not Found" }];
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { calls, fetch: hostFetch };
}

describe("hostPullRequests", () => {
  it("finds the open GitHub pull request of an app in an environment and merges it", async () => {
    // Arrange
    const host = fakeHost({
      "GET /repos/acme/deploy/pulls": [
        200,
        [
          {
            number: 7,
            title: "deploy(production): demo 1.4.0",
            html_url: "https://github.com/acme/deploy/pull/7",
          },
        ],
      ],
      "PUT /repos/acme/deploy/pulls/7/merge": [
        200,
        { sha: "3c1d2e9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", merged: true },
      ],
    });
    const pulls = hostPullRequests({
      repoUrl: "https://github.com/acme/deploy.git",
      config: { provider: "github" },
      env: { GITHUB_TOKEN: "ghp_example" },
      fetch: host.fetch,
    });

    // Act
    const open = await pulls.openFor("demo", "production");
    const sha = open && (await pulls.merge(open, "squash"));

    // Assert
    expect(open).toEqual({
      number: 7,
      title: "deploy(production): demo 1.4.0",
      url: "https://github.com/acme/deploy/pull/7",
    });
    expect(sha).toBe("3c1d2e9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect(host.calls).toEqual([
      {
        method: "GET",
        url: "/repos/acme/deploy/pulls?head=acme%3Ashipline%2Fproduction%2Fdemo&state=open",
        body: undefined,
        authorization: "Bearer ghp_example",
      },
      {
        method: "PUT",
        url: "/repos/acme/deploy/pulls/7/merge",
        body: { merge_method: "squash" },
        authorization: "Bearer ghp_example",
      },
    ]);
  });

  it("merges a GitLab merge request of a subgroup's project by its iid", async () => {
    // Arrange
    const project = "/api/v4/projects/acme%2Fplatform%2Fdeploy/merge_requests";
    const host = fakeHost({
      [`GET ${project}`]: [
        200,
        [{ iid: 3, title: "deploy(production): demo", web_url: "https://gitlab.example/mr/3" }],
      ],
      [`PUT ${project}/3/merge`]: [200, { merge_commit_sha: "b".repeat(40) }],
    });
    const pulls = hostPullRequests({
      repoUrl: "https://gitlab.example/acme/platform/deploy.git",
      config: { provider: "gitlab", apiUrl: "https://gitlab.example/api/v4" },
      env: { SHIPLINE_GIT_TOKEN: "glpat-example", GITLAB_TOKEN: "other" },
      fetch: host.fetch,
    });

    // Act
    const open = await pulls.openFor("demo", "production");
    const sha = open && (await pulls.merge(open, "merge"));

    // Assert
    expect(sha).toBe("b".repeat(40));
    expect(host.calls.map((call) => [call.method, call.url, call.authorization])).toEqual([
      ["GET", `${project}?source_branch=shipline%2Fproduction%2Fdemo&state=opened`, "Bearer glpat-example"],
      ["PUT", `${project}/3/merge`, "Bearer glpat-example"],
    ]);
  });

  it("answers undefined when no pull request is open", async () => {
    // Arrange
    const host = fakeHost({ "GET /repos/acme/deploy/pulls": [200, []] });
    const pulls = hostPullRequests({
      repoUrl: "https://github.com/acme/deploy.git",
      config: { provider: "github" },
      env: { GH_TOKEN: "ghp_example" },
      fetch: host.fetch,
    });

    // Act
    const open = await pulls.openFor("demo", "production");

    // Assert
    expect(open).toBeUndefined();
  });

  it("says the host's refusal of a merge, without the token", async () => {
    // Arrange
    const host = fakeHost({
      "PUT /repos/acme/deploy/pulls/7/merge": [405, { message: "Pull Request is not mergeable" }],
    });
    const pulls = hostPullRequests({
      repoUrl: "https://github.com/acme/deploy.git",
      config: { provider: "github" },
      env: { GITHUB_TOKEN: "ghp_secret" },
      fetch: host.fetch,
    });

    // Act
    const merging = pulls.merge({ number: 7, title: "t", url: "u" }, "merge");

    // Assert
    await expect(merging).rejects.toThrow(/answered HTTP 405: Pull Request is not mergeable/);
    await expect(merging).rejects.not.toThrow(/ghp_secret/);
  });

  it("names the variables to set when there is no token", () => {
    // Act
    const opening = () =>
      hostPullRequests({
        repoUrl: "https://github.com/acme/deploy.git",
        config: { provider: "github" },
        env: {},
      });

    // Assert
    expect(opening).toThrow(
      "merging on github needs a token that may merge pull requests on https://github.com/acme/deploy.git: set SHIPLINE_GIT_TOKEN or GITHUB_TOKEN or GH_TOKEN",
    );
  });
});

describe("shipline merge --aws", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-merge-aws-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [
      join(REPO_ROOT, "shipline.config.yaml"),
      "demo",
      "one of the local runtime: leave --aws out to merge it there",
    ],
    [
      join(REPO_ROOT, "test/fixtures/buildspec/shipline.config.yaml"),
      "shop",
      "has no configRepo.pullRequest: no environment is reviewed through pull requests",
    ],
  ])("refuses a configuration %s cannot merge on a host, with exit code 2", async (config, app, message) => {
    // Arrange
    const capture = captureIo(dir, { GITHUB_TOKEN: "ghp_example" });

    // Act
    const code = await main(["merge", app, "production", "--aws", "--config", config], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain(message);
  });

  it("exits 3 for an app the configuration does not have", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(
      ["merge", "nope", "production", "--aws", "--config", join(REPO_ROOT, "shipline.config.yaml")],
      capture.io,
    );

    // Assert
    expect(code).toBe(3);
    expect(capture.stderr()).toContain("no app is named 'nope'");
  });
});
