import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PullRequestHost, PullRequestRequest } from "../../../functions/core/ports/pull-request-host.js";
import { writeConfig } from "../../../functions/core/writer/write-config.js";
import { writeIntent } from "../../../functions/core/writer/write-intent.js";
import { startWriterHarness, updateIntent, type WriterHarness } from "./writer-kit.js";

const VALUES = "image:\n  repository: registry.local/demo\n  tag: v1 # set by Shipline\n";
const AUTHOR = { name: "Shipline", email: "shipline@example.test" };
const clock = { now: () => new Date("2026-03-01T12:00:00Z") };
const BRANCH = "shipline/production/demo";
const FILE = "envs/production/values.yaml";

function reviewIntent(id: string, tag: string) {
  return writeIntent.parse({
    ...updateIntent({ id, tag, environment: "production", file: FILE }),
    mode: "pull-request",
  });
}

function recordingHost(): PullRequestHost & { requests: PullRequestRequest[] } {
  const requests: PullRequestRequest[] = [];
  return {
    requests,
    async openOrUpdatePullRequest(request) {
      requests.push(request);
      return { url: "http://127.0.0.1/pulls/1", number: 1, updated: requests.length > 1 };
    },
  };
}

let harness: WriterHarness;

beforeAll(async () => {
  harness = await startWriterHarness();
});

afterAll(async () => {
  await harness.stop();
});

describe("writeConfig in pull-request mode against the local git server", () => {
  it("force-pushes each newer proposal to the side branch and leaves the written branch alone", async () => {
    // Arrange
    const seed = await harness.seed("config", { [FILE]: VALUES });
    const host = recordingHost();
    const gitDir = (await harness.server.getRepository("config"))?.gitDir ?? "";

    // Act
    const first = await writeConfig({
      repo: harness.repository("config"),
      intents: [reviewIntent("event-1", "v2")],
      author: AUTHOR,
      clock,
      pullRequests: host,
    });
    const second = await writeConfig({
      repo: harness.repository("config"),
      intents: [reviewIntent("event-2", "v3")],
      author: AUTHOR,
      clock: { now: () => new Date("2026-03-01T12:05:00Z") },
      pullRequests: host,
    });

    // Assert
    const firstHead = first.outcomes[0]?.pullRequest?.headCommit;
    const secondHead = second.outcomes[0]?.pullRequest?.headCommit;
    expect(firstHead).toMatch(/^[0-9a-f]{40}$/);
    expect(secondHead).not.toBe(firstHead);
    expect((await harness.run(gitDir, ["rev-parse", "refs/heads/main"])).trim()).toBe(seed);
    expect((await harness.run(gitDir, ["rev-parse", `refs/heads/${BRANCH}`])).trim()).toBe(secondHead);
    expect(await harness.run(gitDir, ["show", `${BRANCH}:${FILE}`])).toBe(
      VALUES.replace("tag: v1", "tag: v3"),
    );
    expect((await harness.run(gitDir, ["log", "--format=%P", "-1", BRANCH])).trim()).toBe(seed);
    expect(await harness.run(gitDir, ["log", "--format=%B", "-1", BRANCH])).toContain("Event-Id: event-2");
    expect(host.requests.map((request) => [request.branch, request.base])).toEqual([
      [BRANCH, "main"],
      [BRANCH, "main"],
    ]);
  });
});
