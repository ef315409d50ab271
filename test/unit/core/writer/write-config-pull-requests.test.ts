import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type {
  PullRequestHost,
  PullRequestRequest,
  PullRequestResult,
} from "../../../../functions/core/ports/pull-request-host.js";
import { writeConfig } from "../../../../functions/core/writer/write-config.js";
import { writeIntent } from "../../../../functions/core/writer/write-intent.js";
import { AUTHOR, anIntent, recordingPublisher, VALUES } from "./intent-fixtures.js";
import { MemoryConfigRepository } from "./memory-config-repository.js";

const clock = { now: () => new Date("2026-01-01T00:00:00Z") };
const DEV = "envs/dev/values.yaml";
const PROD = "envs/production/values.yaml";
const BRANCH = "shipline/production/demo";

/** A host that keeps one open pull request per branch, as GitHub and GitLab do. */
function fakeHost(fail?: ShiplineError): PullRequestHost & { calls: PullRequestRequest[] } {
  const calls: PullRequestRequest[] = [];
  const open = new Map<string, number>();
  return {
    calls,
    async openOrUpdatePullRequest(request): Promise<PullRequestResult> {
      calls.push(request);
      if (fail) throw fail;
      const existing = open.get(request.branch);
      const number = existing ?? open.size + 1;
      open.set(request.branch, number);
      return { url: `https://git.example.test/pulls/${number}`, number, updated: existing !== undefined };
    },
  };
}

function aReviewIntent(overrides: { intentId?: string; tag?: string } = {}) {
  return anIntent({
    intentId: overrides.intentId ?? "evt-prod",
    environment: "production",
    mode: "pull-request",
    target: { kind: "helm", file: PROD, path: "image.tag" },
    ...(overrides.tag === undefined ? {} : { tag: overrides.tag }),
  });
}

describe("writeConfig in pull-request mode", () => {
  it("pushes the edit to the app's side branch, opens a pull request and reports Pull Request Opened", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [PROD]: VALUES });
    const base = repo.remoteHead;
    const host = fakeHost();
    const publisher = recordingPublisher();

    // Act
    const result = await writeConfig({
      repo,
      intents: [aReviewIntent()],
      author: AUTHOR,
      clock,
      publisher,
      pullRequests: host,
    });

    // Assert
    expect(repo.remoteHead).toBe(base);
    expect(repo.fileOnBranch(BRANCH, PROD)).toContain("tag: v2 # set by Shipline");
    expect(repo.commits.get(repo.branches.get(BRANCH) ?? "")?.parents).toEqual([base]);
    expect(host.calls).toEqual([
      expect.objectContaining({
        repo: "memory:config",
        branch: BRANCH,
        base: "main",
        title: "deploy(production): demo v2",
      }),
    ]);
    expect(host.calls[0]?.body).toContain("Merging this pull request deploys it.");
    expect(result.outcomes[0]).toMatchObject({
      status: "pull-request",
      pullRequest: { number: 1, branch: BRANCH },
    });
    expect(publisher.requests).toEqual([
      expect.objectContaining({
        detailType: "Pull Request Opened",
        detail: expect.objectContaining({
          environment: "production",
          url: "https://git.example.test/pulls/1",
          branch: BRANCH,
          headCommit: repo.branches.get(BRANCH),
          intentId: "evt-prod",
          updated: false,
        }),
      }),
    ]);
  });

  it("updates the one open pull request with a newer image instead of opening another", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [PROD]: VALUES });
    const host = fakeHost();
    const publisher = recordingPublisher();
    await writeConfig({
      repo,
      intents: [aReviewIntent({ tag: "v2" })],
      author: AUTHOR,
      clock,
      pullRequests: host,
    });

    // Act
    await writeConfig({
      repo,
      intents: [aReviewIntent({ intentId: "evt-later", tag: "v3" })],
      author: AUTHOR,
      clock,
      publisher,
      pullRequests: host,
    });

    // Assert
    expect(repo.fileOnBranch(BRANCH, PROD)).toContain("tag: v3 # set by Shipline");
    expect(host.calls.map((call) => call.branch)).toEqual([BRANCH, BRANCH]);
    expect(publisher.requests[0]?.detail).toMatchObject({ number: 1, updated: true, intentId: "evt-later" });
  });

  it("gives two intents of one app and environment in a batch one pull request with the later image", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [PROD]: VALUES });
    const host = fakeHost();
    const publisher = recordingPublisher();

    // Act
    await writeConfig({
      repo,
      intents: [aReviewIntent({ intentId: "a", tag: "v2" }), aReviewIntent({ intentId: "b", tag: "v3" })],
      author: AUTHOR,
      clock,
      publisher,
      pullRequests: host,
    });

    // Assert
    expect(host.calls).toHaveLength(1);
    expect(repo.fileOnBranch(BRANCH, PROD)).toContain("tag: v3");
    expect(publisher.requests.map((request) => request.detail)).toEqual([
      expect.objectContaining({ intentId: "a", number: 1 }),
      expect.objectContaining({ intentId: "b", number: 1 }),
    ]);
  });

  it("commits the batch's direct intents first and builds the pull request on the new head", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [DEV]: VALUES, [PROD]: VALUES });
    const host = fakeHost();
    const publisher = recordingPublisher();

    // Act
    const result = await writeConfig({
      repo,
      intents: [aReviewIntent(), anIntent({ intentId: "evt-dev", tag: "v7" })],
      author: AUTHOR,
      clock,
      publisher,
      pullRequests: host,
    });

    // Assert
    expect(repo.fileAtHead(DEV)).toContain("tag: v7");
    expect(repo.fileAtHead(PROD)).toBe(VALUES);
    expect(repo.commits.get(repo.branches.get(BRANCH) ?? "")?.parents).toEqual([result.commit]);
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(["pull-request", "committed"]);
    expect(publisher.requests.map((request) => request.detailType)).toEqual([
      "Pull Request Opened",
      "Config Committed",
    ]);
  });

  it("reports an intent whose pull request was merged as Config Committed with the merged commit", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [PROD]: VALUES });
    await writeConfig({ repo, intents: [aReviewIntent()], author: AUTHOR, clock, pullRequests: fakeHost() });
    const proposed = repo.branches.get(BRANCH) ?? "";
    repo.remoteHead = proposed;
    const host = fakeHost();
    const publisher = recordingPublisher();

    // Act
    const result = await writeConfig({
      repo,
      intents: [aReviewIntent()],
      author: AUTHOR,
      clock,
      publisher,
      pullRequests: host,
    });

    // Assert
    expect(result.outcomes[0]).toMatchObject({ status: "duplicate", configCommit: proposed });
    expect(host.calls).toEqual([]);
    expect(publisher.requests[0]).toMatchObject({
      detailType: "Config Committed",
      detail: { configCommit: proposed, environment: "production" },
    });
  });

  it("opens no pull request when the branch already asks for the image", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [PROD]: VALUES.replace("v1", "v2") });
    const host = fakeHost();
    const publisher = recordingPublisher();

    // Act
    const result = await writeConfig({
      repo,
      intents: [aReviewIntent({ tag: "v2" })],
      author: AUTHOR,
      clock,
      publisher,
      pullRequests: host,
    });

    // Assert
    expect(result.outcomes[0]).toMatchObject({ status: "unchanged", configCommit: repo.remoteHead });
    expect(host.calls).toEqual([]);
    expect(repo.branches.size).toBe(0);
    expect(publisher.requests[0]?.detailType).toBe("Config Committed");
  });

  it("records Step Failed when no pull request host is configured", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [PROD]: VALUES });
    const publisher = recordingPublisher();

    // Act
    await writeConfig({ repo, intents: [aReviewIntent()], author: AUTHOR, clock, publisher });

    // Assert
    expect(repo.branches.size).toBe(0);
    expect(publisher.requests[0]).toMatchObject({
      detailType: "Step Failed",
      detail: { code: "PULL_REQUEST_NOT_CONFIGURED", step: "config-writer" },
    });
  });

  it("records a host's permanent refusal as Step Failed and throws a retryable one", async () => {
    // Arrange
    const refused = new ShiplineError({ code: "PULL_REQUEST_FAILED", message: "403 forbidden" });
    const down = new ShiplineError({ code: "PULL_REQUEST_FAILED", message: "502", retryable: true });
    const publisher = recordingPublisher();

    // Act
    await writeConfig({
      repo: new MemoryConfigRepository({ [PROD]: VALUES }),
      intents: [aReviewIntent()],
      author: AUTHOR,
      clock,
      publisher,
      pullRequests: fakeHost(refused),
    });
    const thrown = await writeConfig({
      repo: new MemoryConfigRepository({ [PROD]: VALUES }),
      intents: [aReviewIntent()],
      author: AUTHOR,
      clock,
      pullRequests: fakeHost(down),
    }).catch((error: unknown) => error);

    // Assert
    expect(publisher.requests[0]).toMatchObject({
      detailType: "Step Failed",
      detail: { code: "PULL_REQUEST_FAILED", reason: "403 forbidden" },
    });
    expect(thrown).toBe(down);
  });

  it("refuses a revert in pull-request mode: rollbacks are committed directly", () => {
    // Arrange
    const input = { ...aReviewIntent(), kind: "revert", revertOf: "d".repeat(40) };

    // Act
    const parsed = writeIntent.safeParse(input);

    // Assert
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["mode"] });
  });
});
