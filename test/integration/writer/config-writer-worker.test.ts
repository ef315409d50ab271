import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalMessageQueue } from "../../../functions/adapters/local/local-message-queue.js";
import { ShiplineError } from "../../../functions/core/errors/shipline-error.js";
import { writeConfig } from "../../../functions/core/writer/write-config.js";
import { writeIntentGroupId } from "../../../functions/core/writer/write-intent.js";
import { ConfigWriterWorker } from "../../../functions/local/writer/config-writer-worker.js";
import { readClone, startWriterHarness, updateIntent, type WriterHarness } from "./writer-kit.js";

const AUTHOR = { name: "Shipline", email: "shipline@example.test" };
const clock = { now: () => new Date("2026-03-01T12:00:00Z") };
const GROUP = writeIntentGroupId("local:config", "main");

function values(app: string): string {
  return `# ${app}\nimage:\n  repository: registry.local/${app}\n  tag: v1\n`;
}

let harness: WriterHarness;
let worker: ConfigWriterWorker | undefined;

beforeEach(async () => {
  harness = await startWriterHarness();
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await harness.stop();
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("ConfigWriterWorker", () => {
  it("batches intents sent at once into few commits, all present, and deletes every message", async () => {
    // Arrange
    const apps = Array.from({ length: 12 }, (_, n) => `app-${n}`);
    const seed = await harness.seed(
      "config",
      Object.fromEntries(apps.map((app) => [`apps/${app}/dev.yaml`, values(app)])),
    );
    const repo = harness.repository("config");
    const queue = new LocalMessageQueue({ name: "writer.fifo", contentBasedDeduplication: true });
    const batches: number[] = [];
    worker = new ConfigWriterWorker({
      queue,
      waitTimeSeconds: 1,
      write: async (_group, intents) => {
        batches.push(intents.length);
        return writeConfig({ repo, intents, author: AUTHOR, clock });
      },
    });
    const intents = apps.map((app, n) =>
      updateIntent({ id: `e-${n}`, app, file: `apps/${app}/dev.yaml`, tag: `v${n + 2}` }),
    );

    // Act
    worker.start();
    await Promise.all(intents.map((intent) => queue.send({ body: JSON.stringify(intent), groupId: GROUP })));
    await until(
      () => batches.reduce((sum, size) => sum + size, 0) >= intents.length && queue.counts().inFlight === 0,
    );

    // Assert
    const work = await harness.cliClone("config");
    for (const [n, app] of apps.entries()) {
      expect(await readClone(work, `apps/${app}/dev.yaml`)).toContain(`tag: v${n + 2}\n`);
    }
    const commits = Number((await harness.run(work, ["rev-list", "--count", `${seed}..HEAD`])).trim());
    expect(commits).toBe(batches.length);
    expect(commits).toBeLessThan(intents.length);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("drops and reports a message that is not a write intent", async () => {
    // Arrange
    const queue = new LocalMessageQueue({ name: "writer.fifo", contentBasedDeduplication: true });
    const errors: unknown[] = [];
    worker = new ConfigWriterWorker({
      queue,
      waitTimeSeconds: 0,
      write: async () => {
        throw new Error("not called");
      },
      onError: (error) => errors.push(error),
    });
    await queue.send({ body: '{"intentId":"x"}', groupId: GROUP });

    // Act
    const deleted = await worker.runOnce();

    // Assert
    expect(deleted).toBe(1);
    expect(errors).toEqual([expect.objectContaining({ code: "WRITE_INTENT_INVALID" })]);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("keeps the messages of a batch whose write failed, so they come back", async () => {
    // Arrange
    const queue = new LocalMessageQueue({
      name: "writer.fifo",
      visibilityTimeoutSeconds: 30,
      contentBasedDeduplication: true,
    });
    const errors: unknown[] = [];
    worker = new ConfigWriterWorker({
      queue,
      waitTimeSeconds: 0,
      write: async () => {
        throw new ShiplineError({ code: "PUSH_REJECTED", message: "rejected", retryable: true });
      },
      onError: (error) => errors.push(error),
    });
    await queue.send({ body: JSON.stringify(updateIntent({ id: "keep", tag: "v2" })), groupId: GROUP });

    // Act
    const deleted = await worker.runOnce();

    // Assert
    expect(deleted).toBe(0);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    expect(errors).toEqual([expect.objectContaining({ code: "PUSH_REJECTED" })]);
  });

  it("records the intents of a batch that failed for good and deletes their messages", async () => {
    // Arrange
    const queue = new LocalMessageQueue({ name: "writer.fifo", contentBasedDeduplication: true });
    const recorded: { intents: string[]; code: string }[] = [];
    worker = new ConfigWriterWorker({
      queue,
      waitTimeSeconds: 0,
      write: async () => {
        throw new ShiplineError({
          code: "PUSH_REFUSED",
          message: "pre-receive hook declined",
          retryable: false,
        });
      },
      onError: () => undefined,
      onPermanentFailure: async (intents, error) => {
        recorded.push({ intents: intents.map((intent) => intent.intentId), code: error.code });
      },
    });
    await queue.send({ body: JSON.stringify(updateIntent({ id: "refused", tag: "v2" })), groupId: GROUP });

    // Act
    const deleted = await worker.runOnce();

    // Assert
    expect(deleted).toBe(1);
    expect(recorded).toEqual([{ intents: ["refused"], code: "PUSH_REFUSED" }]);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});
