import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { writeConfig } from "../../../../functions/core/writer/write-config.js";
import { AUTHOR, anIntent, recordingPublisher, VALUES } from "./intent-fixtures.js";
import { MemoryConfigRepository } from "./memory-config-repository.js";

const clock = { now: () => new Date("2026-01-01T00:00:00Z") };
const FILE = "envs/dev/values.yaml";

describe("writeConfig", () => {
  it("gives up after the configured attempts with a retryable PUSH_REJECTED, backing off with jitter", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [FILE]: VALUES });
    repo.beforePush = (attempt) => repo.pushOther({ "other.txt": `push ${attempt}` });
    const delays: number[] = [];

    // Act
    const failure = await writeConfig({
      repo,
      intents: [anIntent()],
      author: AUTHOR,
      clock,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    }).catch((error: unknown) => error);

    // Assert
    expect(failure).toBeInstanceOf(ShiplineError);
    expect(failure).toMatchObject({ code: "PUSH_REJECTED", retryable: true, data: { attempts: 3 } });
    expect(repo.pushes).toBe(3);
    expect(delays).toEqual([100, 200]);
    expect(repo.fileAtHead(FILE)).toBe(VALUES);
  });

  it("re-applies the intents on the new head after a rejected push and keeps the other writer's commit", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [FILE]: VALUES });
    repo.beforePush = (attempt) => {
      if (attempt === 1) repo.pushOther({ "envs/prod/values.yaml": "replicas: 9\n" });
    };

    // Act
    const result = await writeConfig({
      repo,
      intents: [anIntent()],
      author: AUTHOR,
      clock,
      sleep: async () => {},
    });

    // Assert
    expect(result.attempts).toBe(2);
    expect(repo.fileAtHead(FILE)).toContain("tag: v2 # set by Shipline");
    expect(repo.fileAtHead("envs/prod/values.yaml")).toBe("replicas: 9\n");
  });

  it("carries out an intent delivered twice in one batch once and reports it once", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [FILE]: VALUES });
    const publisher = recordingPublisher();

    // Act
    const result = await writeConfig({
      repo,
      intents: [anIntent({ intentId: "same" }), anIntent({ intentId: "same" })],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(["committed", "committed"]);
    expect(publisher.requests).toHaveLength(1);
    expect(repo.depth()).toBe(2);
  });

  it("finds an intent carried out earlier by its Event-Id and re-publishes the original commit", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [FILE]: VALUES });
    const first = await writeConfig({
      repo,
      intents: [anIntent({ intentId: "once" })],
      author: AUTHOR,
      clock,
    });
    repo.pushOther({ [FILE]: VALUES.replace("v1", "v9") });
    const publisher = recordingPublisher();

    // Act
    const again = await writeConfig({
      repo,
      intents: [anIntent({ intentId: "once" })],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    expect(again.outcomes).toEqual([
      { intentId: "once", status: "duplicate", configCommit: first.commit, file: FILE },
    ]);
    expect(publisher.requests[0]?.detail).toMatchObject({
      intentId: "once",
      configCommit: first.commit,
      kind: "update",
    });
    expect(repo.fileAtHead(FILE)).toContain("v9");
  });

  it("records a revert of an unknown commit as a permanent Step Failed and still commits the rest", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [FILE]: VALUES });
    const publisher = recordingPublisher();
    const intents = [
      anIntent({ intentId: "undo", kind: "revert", revertOf: "d".repeat(40) }),
      anIntent({ intentId: "bump", tag: "v5" }),
    ];

    // Act
    const result = await writeConfig({ repo, intents, author: AUTHOR, clock, publisher });

    // Assert
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(["failed", "committed"]);
    expect(publisher.requests.map((request) => request.detailType).sort()).toEqual([
      "Config Committed",
      "Step Failed",
    ]);
    expect(repo.fileAtHead(FILE)).toContain("tag: v5");
  });

  it("undoes its own earlier commit through a revert intent", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ [FILE]: VALUES });
    const bump = await writeConfig({
      repo,
      intents: [anIntent({ intentId: "bump" })],
      author: AUTHOR,
      clock,
    });
    repo.pushOther({ "README.md": "later\n" });

    // Act
    const result = await writeConfig({
      repo,
      intents: [anIntent({ intentId: "undo", kind: "revert", revertOf: bump.commit, tag: "v1" })],
      author: AUTHOR,
      clock,
    });

    // Assert
    expect(result.outcomes[0]?.status).toBe("committed");
    expect(repo.fileAtHead(FILE)).toBe(VALUES);
    expect(repo.fileAtHead("README.md")).toBe("later\n");
  });
});
