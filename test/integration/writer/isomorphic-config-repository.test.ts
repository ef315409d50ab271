import { randomBytes } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IsomorphicConfigRepository } from "../../../functions/adapters/git/isomorphic-config-repository.js";
import { writerCloneDir } from "../../../functions/adapters/git/writer-clone-dir.js";
import { ShiplineError } from "../../../functions/core/errors/shipline-error.js";
import { startWriterHarness, type WriterHarness } from "./writer-kit.js";

const AUTHOR = { name: "Shipline", email: "shipline@example.test" };
const TIME = new Date("2026-03-01T12:00:00Z");

let harness: WriterHarness;

beforeEach(async () => {
  harness = await startWriterHarness();
});

afterEach(async () => {
  await harness.stop();
});

describe("IsomorphicConfigRepository", () => {
  it("keeps a bare clone with no working tree and pushes a commit built from blobs and trees", async () => {
    // Arrange
    await harness.seed("config", { "envs/dev/values.yaml": "tag: v1\n", "keep/me.txt": "same\n" });
    const repo = harness.repository("config", "bare", 1);

    // Act
    const head = await repo.sync();
    const commit = await repo.commitFiles({
      parent: head,
      files: [
        { path: "envs/dev/values.yaml", content: "tag: v2\n" },
        { path: "envs/new/values.yaml", content: "new\n" },
      ],
      message: "update\n",
      author: AUTHOR,
      time: TIME,
    });
    const outcome = await repo.push(commit);

    // Assert
    expect(outcome).toEqual({ status: "pushed" });
    const entries = await readdir(path.join(harness.dir, "writer", "config-bare"));
    expect(entries).not.toContain("envs");
    expect(entries).not.toContain(".git");
    const work = await harness.cliClone("config");
    expect((await harness.run(work, ["ls-tree", "-r", "--name-only", "HEAD"])).trim().split("\n")).toEqual([
      "envs/dev/values.yaml",
      "envs/new/values.yaml",
      "keep/me.txt",
    ]);
    expect((await harness.run(work, ["fsck", "--strict"])).trim()).toBe("");
  });

  it("fetches only the new objects on the warm path, not the whole tree again", async () => {
    // Arrange
    const files = Object.fromEntries(
      Array.from({ length: 200 }, (_, n) => [
        `apps/app-${n}/values.yaml`,
        `seed: ${randomBytes(300).toString("hex")}\n`,
      ]),
    );
    await harness.seed("config", files);
    const packDir = path.join(harness.dir, "writer", "config-warm", "objects", "pack");
    const packBytes = async (names: readonly string[]) => {
      let total = 0;
      for (const name of names)
        if (name.endsWith(".pack")) total += (await stat(path.join(packDir, name))).size;
      return total;
    };
    await harness.repository("config", "warm").sync();
    const coldPacks = await readdir(packDir);
    await harness.pushExternal("config", { "apps/app-7/values.yaml": "seed: changed\n" }, "one change");

    // Act
    const head = await harness.repository("config", "warm").sync();

    // Assert
    const newPacks = (await readdir(packDir)).filter((name) => !coldPacks.includes(name));
    expect(await packBytes(newPacks)).toBeLessThan((await packBytes(coldPacks)) / 5);
    expect(
      await harness.repository("config", "warm").readFile({ path: "apps/app-7/values.yaml", commit: head }),
    ).toBe("seed: changed\n");
  });

  it("answers rejected, without sending, when the branch moved after the fetch", async () => {
    // Arrange
    await harness.seed("config", { "a.txt": "1\n" });
    const repo = harness.repository("config");
    const head = await repo.sync();
    const commit = await repo.commitFiles({
      parent: head,
      files: [{ path: "a.txt", content: "2\n" }],
      message: "m\n",
      author: AUTHOR,
      time: TIME,
    });
    const other = await harness.pushExternal("config", { "b.txt": "x\n" }, "other");

    // Act
    const outcome = await repo.push(commit);

    // Assert
    expect(outcome).toEqual({ status: "rejected", reason: `not-fast-forward: main is at ${other}` });
  });

  it("fetches older history of a depth-1 clone to read a commit and its parent", async () => {
    // Arrange
    await harness.seed("config", { "a.txt": "1\n" });
    const second = await harness.pushExternal("config", { "a.txt": "2\n" }, "second");
    await harness.pushExternal("config", { "a.txt": "3\n" }, "third");
    const repo = harness.repository("config", "shallow", 1);
    const head = await repo.sync();

    // Act
    const before = await repo.recentCommits({ from: head, limit: 10 });
    const commit = await repo.readCommit(second);
    const parentText = await repo.readFile({ path: "a.txt", commit: commit.parents[0] ?? "" });

    // Assert
    expect(before.map((entry) => entry.oid)).toEqual([head]);
    expect(commit.message).toBe("second\n");
    expect(parentText).toBe("1\n");
  });

  it("fails with a retryable GIT_AUTH_FAILED that never shows the refused token", async () => {
    // Arrange
    await harness.seed("config", { "a.txt": "1\n" });
    const secret = "not-a-valid-token-value";
    const repo = new IsomorphicConfigRepository({
      url: harness.server.cloneUrl("config"),
      branch: "main",
      dir: path.join(harness.dir, "writer", "bad-token"),
      credentials: async () => ({ username: "x-access-token", password: secret }),
    });

    // Act
    const failure = await repo.sync().catch((error: unknown) => error);

    // Assert
    expect(failure).toBeInstanceOf(ShiplineError);
    expect(failure).toMatchObject({ code: "GIT_AUTH_FAILED", retryable: true });
    const shown =
      failure instanceof ShiplineError ? `${failure.message} ${JSON.stringify(failure.data)}` : "";
    expect(shown).not.toContain(secret);
  });

  it("refuses a repository URL that carries credentials", () => {
    // Arrange
    const url = "https://user:secret@git.example.test/config.git";

    // Act
    const create = () => new IsomorphicConfigRepository({ url, branch: "main", dir: harness.dir });

    // Assert
    expect(create).toThrow(expect.objectContaining({ code: "GIT_URL_HAS_CREDENTIALS" }));
  });

  it("keeps one clone directory per repository and branch, named without the URL", () => {
    // Arrange
    const url = "https://git.example.test/acme/config.git";

    // Act
    const dirs = [
      writerCloneDir("/base", url, "main"),
      writerCloneDir("/base", url, "main"),
      writerCloneDir("/base", url, "prod"),
    ];

    // Assert
    expect(dirs[0]).toBe(dirs[1]);
    expect(dirs[0]).not.toBe(dirs[2]);
    expect(dirs[0]).toMatch(/^\/base\/shipline-writer\/[0-9a-f]{16}$/);
  });

  it("fetches from the server's new address after a restart, from the clone an earlier run kept", async () => {
    // Arrange
    await harness.seed("config", { "values.yaml": "image:\n  tag: v1\n" });
    await harness.repository("config", "kept").sync();
    await harness.restartServer();
    const moved = await harness.pushExternal("config", { "values.yaml": "image:\n  tag: v2\n" }, "bump");

    // Act
    const head = await harness.repository("config", "kept").sync();

    // Assert
    expect(head).toBe(moved);
  });
});
