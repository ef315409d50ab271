import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  POST_RECEIVE_HOOK,
  PUSH_SPOOL_ENV,
  parseRefUpdates,
} from "../../../../functions/local/git-server/post-receive-hook.js";

const OLD = "a".repeat(40);
const NEW = "b".repeat(40);
const ZERO = "0".repeat(40);

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "shipline-hook-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("parseRefUpdates", () => {
  it("reads one update per line and skips lines that are not updates", () => {
    // Act
    const updates = parseRefUpdates(`${OLD} ${NEW} refs/heads/main\nnoise\n${ZERO} ${NEW} refs/tags/v1\n`);

    // Assert
    expect(updates).toEqual([
      { before: OLD, after: NEW, ref: "refs/heads/main" },
      { before: ZERO, after: NEW, ref: "refs/tags/v1" },
    ]);
  });
});

describe("POST_RECEIVE_HOOK", () => {
  it("copies its input to the spool file named in the environment", async () => {
    // Arrange
    const hook = path.join(dir, "post-receive");
    const spool = path.join(dir, "push.refs");
    await writeFile(hook, POST_RECEIVE_HOOK, { mode: 0o755 });
    const input = `${OLD} ${NEW} refs/heads/main\n`;

    // Act
    const run = spawnSync(hook, { input, env: { PATH: process.env.PATH, [PUSH_SPOOL_ENV]: spool } });

    // Assert
    expect(run.status).toBe(0);
    expect(await readFile(spool, "utf8")).toBe(input);
  });

  it("does nothing for a push that did not come through the server", async () => {
    // Arrange
    const hook = path.join(dir, "post-receive");
    await writeFile(hook, POST_RECEIVE_HOOK, { mode: 0o755 });

    // Act
    const run = spawnSync(hook, {
      input: `${OLD} ${NEW} refs/heads/main\n`,
      env: { PATH: process.env.PATH },
    });

    // Assert
    expect(run.status).toBe(0);
    expect(run.stdout.toString()).toBe("");
  });
});
