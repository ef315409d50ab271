import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventPublisher, PublishRequest } from "../../../functions/core/ports/event-publisher.js";
import { parseTrailers } from "../../../functions/core/writer/commit-message.js";
import { writeConfig } from "../../../functions/core/writer/write-config.js";
import { readClone, startWriterHarness, updateIntent, type WriterHarness } from "./writer-kit.js";

const VALUES =
  "# dev values\nimage:\n  repository: registry.local/demo\n  tag: v1 # set by Shipline\nreplicas: 2\n";
const AUTHOR = { name: "Shipline", email: "shipline@example.test" };
const clock = { now: () => new Date("2026-03-01T12:00:00Z") };

function recordingPublisher(): EventPublisher & { requests: PublishRequest[] } {
  const requests: PublishRequest[] = [];
  return {
    requests,
    async publish(batch) {
      requests.push(...batch);
      return batch.map((_, index) => ({ eventId: `event-${requests.length + index}` }));
    },
  };
}

let harness: WriterHarness;

beforeEach(async () => {
  harness = await startWriterHarness();
});

afterEach(async () => {
  await harness.stop();
});

describe("writeConfig against the local git server", () => {
  it("commits a cold then a warm update that a git CLI clone sees byte for byte, with trailers", async () => {
    // Arrange
    const seed = await harness.seed("config", { "envs/dev/values.yaml": VALUES, "README.md": "config\n" });
    const repo = harness.repository("config");
    const publisher = recordingPublisher();

    // Act
    const cold = await writeConfig({
      repo,
      intents: [updateIntent({ id: "event-1", tag: "v2" })],
      author: AUTHOR,
      clock,
      publisher,
    });
    const warm = await writeConfig({
      repo: harness.repository("config"),
      intents: [updateIntent({ id: "event-2", tag: "v3", digestHex: "b" })],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    const work = await harness.cliClone("config");
    expect(await readClone(work, "envs/dev/values.yaml")).toBe(VALUES.replace("tag: v1", "tag: v3"));
    expect(await readClone(work, "README.md")).toBe("config\n");
    const log = (await harness.run(work, ["log", "--format=%H %P", "main"]))
      .trim()
      .split("\n")
      .map((line) => line.trim());
    expect(log).toEqual([`${warm.commit} ${cold.commit}`, `${cold.commit} ${seed}`, seed]);
    const message = await harness.run(work, ["log", "-1", "--format=%B", cold.commit ?? ""]);
    expect(message.split("\n")[0]).toBe("deploy(dev): demo v2");
    const trailers = await harness.run(work, [
      "log",
      "-1",
      "--format=%(trailers:only,unfold)",
      cold.commit ?? "",
    ]);
    expect(trailers.trim().split("\n")).toEqual([
      "Shipline-App: demo",
      "Shipline-Environment: dev",
      "Source-Commit: 0123456789abcdef0123456789abcdef01234567",
      `Image-Digest: sha256:${"a".repeat(64)}`,
      "Image-Tag: v2",
      "Scan-Verdict: approved",
      "Correlation-Id: corr-event-1",
      "Event-Id: event-1",
    ]);
    expect(parseTrailers(message).at(-1)).toEqual({ key: "Event-Id", value: "event-1" });
    const author = await harness.run(work, [
      "log",
      "-1",
      "--format=%an <%ae>|%cn <%ce>|%aI",
      cold.commit ?? "",
    ]);
    expect(author.trim()).toBe(
      "Shipline <shipline@example.test>|Shipline <shipline@example.test>|2026-03-01T12:00:00+00:00",
    );
    expect(publisher.requests.map((request) => [request.detailType, request.detail])).toEqual([
      [
        "Config Committed",
        expect.objectContaining({
          intentId: "event-1",
          configCommit: cold.commit,
          files: ["envs/dev/values.yaml"],
          tag: "v2",
        }),
      ],
      [
        "Config Committed",
        expect.objectContaining({
          intentId: "event-2",
          configCommit: warm.commit,
          configRepo: "local:config",
          branch: "main",
        }),
      ],
    ]);
  });

  it("makes no commit for an intent the branch already holds, and still reports it", async () => {
    // Arrange
    const seed = await harness.seed("config", { "envs/dev/values.yaml": VALUES });
    const publisher = recordingPublisher();

    // Act
    const result = await writeConfig({
      repo: harness.repository("config"),
      intents: [updateIntent({ id: "event-same", tag: "v1" })],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    expect(result.commit).toBeUndefined();
    expect(result.outcomes).toEqual([
      { intentId: "event-same", status: "unchanged", configCommit: seed, file: "envs/dev/values.yaml" },
    ]);
    const work = await harness.cliClone("config");
    expect((await harness.run(work, ["rev-parse", "HEAD"])).trim()).toBe(seed);
    expect(publisher.requests.map((request) => request.detail)).toEqual([
      expect.objectContaining({ intentId: "event-same", configCommit: seed }),
    ]);
  });

  it("fetches and applies again when another writer pushed between its fetch and its push", async () => {
    // Arrange
    await harness.seed("config", { "envs/dev/values.yaml": VALUES, "envs/prod/values.yaml": VALUES });
    const inner = harness.repository("config");
    let external: string | undefined;
    const racing: typeof inner = Object.assign(Object.create(inner), {
      push: async (commit: string) => {
        external ??= await harness.pushExternal(
          "config",
          { "envs/prod/values.yaml": VALUES.replace("replicas: 2", "replicas: 5") },
          "scale prod",
        );
        return inner.push(commit);
      },
    });

    // Act
    const result = await writeConfig({
      repo: racing,
      intents: [updateIntent({ id: "event-race", tag: "v9" })],
      author: AUTHOR,
      clock,
      sleep: async () => {},
    });

    // Assert
    expect(result.attempts).toBe(2);
    const work = await harness.cliClone("config");
    expect(await readClone(work, "envs/dev/values.yaml")).toBe(VALUES.replace("tag: v1", "tag: v9"));
    expect(await readClone(work, "envs/prod/values.yaml")).toBe(VALUES.replace("replicas: 2", "replicas: 5"));
    expect((await harness.run(work, ["log", "-1", "--format=%P"])).trim()).toBe(external);
  });

  it("does not apply a re-delivered intent twice and re-publishes its original commit", async () => {
    // Arrange
    await harness.seed("config", { "envs/dev/values.yaml": VALUES });
    const first = await writeConfig({
      repo: harness.repository("config"),
      intents: [updateIntent({ id: "event-once", tag: "v2" })],
      author: AUTHOR,
      clock,
    });
    await harness.pushExternal(
      "config",
      { "envs/dev/values.yaml": VALUES.replace("tag: v1", "tag: v7") },
      "hand edit",
    );
    const publisher = recordingPublisher();

    // Act
    const again = await writeConfig({
      repo: harness.repository("config", "other-container"),
      intents: [updateIntent({ id: "event-once", tag: "v2" })],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    expect(again.commit).toBeUndefined();
    expect(again.outcomes[0]).toMatchObject({ status: "duplicate", configCommit: first.commit });
    expect(publisher.requests.map((request) => request.detail)).toEqual([
      expect.objectContaining({ intentId: "event-once", configCommit: first.commit }),
    ]);
    const work = await harness.cliClone("config");
    expect(await readClone(work, "envs/dev/values.yaml")).toContain("tag: v7");
  });

  it("carries out a batch of several intents as one commit with one event per intent", async () => {
    // Arrange
    const seed = await harness.seed("config", {
      "envs/dev/values.yaml": VALUES,
      "envs/staging/values.yaml": VALUES,
      "apps/api/dev/values.yaml": VALUES,
    });
    const publisher = recordingPublisher();
    const intents = [
      updateIntent({ id: "e1", tag: "v2" }),
      updateIntent({ id: "e2", environment: "staging", file: "envs/staging/values.yaml", tag: "v3" }),
      updateIntent({ id: "e3", app: "api", file: "apps/api/dev/values.yaml", tag: "v4" }),
      updateIntent({ id: "e4", file: "envs/dev/values.yaml", tag: "v5" }),
      updateIntent({ id: "e5", file: "envs/missing.yaml", tag: "v5" }),
    ];

    // Act
    const result = await writeConfig({
      repo: harness.repository("config"),
      intents,
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    const work = await harness.cliClone("config");
    expect((await harness.run(work, ["rev-list", "--count", "HEAD"])).trim()).toBe("2");
    expect((await harness.run(work, ["log", "-1", "--format=%P"])).trim()).toBe(seed);
    expect(await readClone(work, "envs/dev/values.yaml")).toContain("tag: v5 # set by Shipline");
    expect(await readClone(work, "envs/staging/values.yaml")).toContain("tag: v3");
    expect(await readClone(work, "apps/api/dev/values.yaml")).toContain("tag: v4");
    const trailers = await harness.run(work, ["log", "-1", "--format=%(trailers:key=Event-Id,valueonly)"]);
    expect(trailers.trim().split("\n")).toEqual(["e1", "e2", "e3", "e4"]);
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual([
      "committed",
      "committed",
      "committed",
      "committed",
      "failed",
    ]);
    expect(publisher.requests.map((request) => request.detailType)).toEqual([
      "Config Committed",
      "Config Committed",
      "Config Committed",
      "Config Committed",
      "Step Failed",
    ]);
    expect(publisher.requests[4]?.detail).toMatchObject({
      code: "WRITER_FILE_NOT_FOUND",
      step: "config-writer",
    });
  });

  it("stops at once with PUSH_REFUSED and the host's own words when a hook declines the push", async () => {
    // Arrange: the host refuses every update of the branch.
    await harness.seed("config", { "envs/dev/values.yaml": "image:\n  tag: v1\n" });
    const gitDir = (await harness.server.getRepository("config"))?.gitDir ?? "";
    await writeFile(
      path.join(gitDir, "hooks", "pre-receive"),
      "#!/bin/sh\necho 'main is protected'\nexit 1\n",
      {
        mode: 0o755,
      },
    );
    const repo = harness.repository("config");

    // Act
    const write = writeConfig({
      repo,
      intents: [updateIntent({ id: "refused", tag: "v2" })],
      author: { name: "Shipline", email: "shipline@example.test" },
      clock: { now: () => new Date("2026-03-01T12:00:00Z") },
      retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
    });

    // Assert
    await expect(write).rejects.toMatchObject({
      code: "PUSH_REFUSED",
      retryable: false,
      message: expect.stringContaining("pre-receive hook declined (the host said: main is protected)"),
    });
  });
});
