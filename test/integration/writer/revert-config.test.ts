import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventPublisher, PublishRequest } from "../../../functions/core/ports/event-publisher.js";
import { writeConfig } from "../../../functions/core/writer/write-config.js";
import { type WriteIntent, writeIntent } from "../../../functions/core/writer/write-intent.js";
import { readClone, startWriterHarness, updateIntent, type WriterHarness } from "./writer-kit.js";

const VALUES =
  "# dev values\nimage:\n  repository: registry.local/demo\n  tag: v1 # set by Shipline\nreplicas: 2\n";
const AUTHOR = { name: "Shipline", email: "shipline@example.test" };
const clock = { now: () => new Date("2026-03-01T12:00:00Z") };

function revertIntent(id: string, revertOf: string): WriteIntent {
  const update = updateIntent({ id, tag: "v1" });
  return writeIntent.parse({ ...update, kind: "revert", revertOf });
}

function recordingPublisher(): EventPublisher & { requests: PublishRequest[] } {
  const requests: PublishRequest[] = [];
  return {
    requests,
    async publish(batch) {
      requests.push(...batch);
      return batch.map(() => ({ eventId: "event" }));
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

describe("revert intents against the local git server", () => {
  it("undoes an older config commit while keeping a newer commit's change to another file", async () => {
    // Arrange
    await harness.seed("config", { "envs/dev/values.yaml": VALUES, "envs/prod/values.yaml": VALUES });
    const bump = await writeConfig({
      repo: harness.repository("config"),
      intents: [updateIntent({ id: "bump", tag: "v2" })],
      author: AUTHOR,
      clock,
    });
    const prod = VALUES.replace("replicas: 2", "replicas: 4");
    await harness.pushExternal("config", { "envs/prod/values.yaml": prod }, "scale prod");
    await harness.pushExternal("config", { "README.md": "notes\n" }, "notes");
    const publisher = recordingPublisher();

    // Act
    const result = await writeConfig({
      repo: harness.repository("config", "cold-shallow", 1),
      intents: [revertIntent("rollback-1", bump.commit ?? "")],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    const work = await harness.cliClone("config");
    expect(await readClone(work, "envs/dev/values.yaml")).toBe(VALUES);
    expect(await readClone(work, "envs/prod/values.yaml")).toBe(prod);
    expect(await readClone(work, "README.md")).toBe("notes\n");
    const subject = await harness.run(work, [
      "log",
      "-1",
      "--format=%s%n%(trailers:key=Shipline-Reverts,valueonly)",
    ]);
    expect(subject.trim().split("\n")).toEqual([
      `revert(dev): demo to v1 (undoes ${bump.commit?.slice(0, 7)})`,
      bump.commit,
    ]);
    expect(result.outcomes[0]).toMatchObject({ status: "committed", configCommit: result.commit });
    expect(publisher.requests[0]?.detail).toMatchObject({
      kind: "revert",
      intentId: "rollback-1",
      tag: "v1",
    });
  });

  it("refuses to undo a commit whose value a later commit changed again, as a permanent failure", async () => {
    // Arrange
    await harness.seed("config", { "envs/dev/values.yaml": VALUES });
    const repo = harness.repository("config");
    const first = await writeConfig({
      repo,
      intents: [updateIntent({ id: "a", tag: "v2" })],
      author: AUTHOR,
      clock,
    });
    await writeConfig({ repo, intents: [updateIntent({ id: "b", tag: "v3" })], author: AUTHOR, clock });
    const publisher = recordingPublisher();

    // Act
    const result = await writeConfig({
      repo,
      intents: [revertIntent("rollback-2", first.commit ?? "")],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    expect(result.commit).toBeUndefined();
    expect(result.outcomes[0]).toMatchObject({ status: "failed", error: { code: "REVERT_CONFLICT" } });
    expect(publisher.requests[0]).toMatchObject({
      detailType: "Step Failed",
      detail: { code: "REVERT_CONFLICT", step: "config-writer", failedEventId: "rollback-2" },
    });
    const work = await harness.cliClone("config");
    expect(await readClone(work, "envs/dev/values.yaml")).toContain("tag: v3");
  });

  it("reports the image the revert brings back, and the failed one apart, in its commit and event", async () => {
    // Arrange
    await harness.seed("config", { "envs/dev/values.yaml": VALUES });
    const repo = harness.repository("config");
    await writeConfig({
      repo,
      intents: [updateIntent({ id: "good", tag: "v5", digestHex: "b" })],
      author: AUTHOR,
      clock,
    });
    const broken = await writeConfig({
      repo,
      intents: [updateIntent({ id: "broken", tag: "v6", digestHex: "c" })],
      author: AUTHOR,
      clock,
    });
    const failed = updateIntent({ id: "broken", tag: "v6", digestHex: "c" });
    const publisher = recordingPublisher();

    // Act
    await writeConfig({
      repo,
      intents: [
        writeIntent.parse({ ...failed, intentId: "rollback-3", kind: "revert", revertOf: broken.commit }),
      ],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    const work = await harness.cliClone("config");
    expect(await readClone(work, "envs/dev/values.yaml")).toContain("tag: v5");
    const log = await harness.run(work, ["log", "-1", "--format=%s%n%(trailers:key=Image-Tag,valueonly)"]);
    expect(log.trim().split("\n")).toEqual([
      `revert(dev): demo to v5 (undoes ${broken.commit?.slice(0, 7)})`,
      "v5",
    ]);
    expect(publisher.requests[0]?.detail).toMatchObject({
      kind: "revert",
      tag: "v5",
      digest: `sha256:${"b".repeat(64)}`,
      replaced: { tag: "v6", digest: `sha256:${"c".repeat(64)}` },
    });
  });
});
