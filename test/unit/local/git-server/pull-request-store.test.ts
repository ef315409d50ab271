import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type LocalPullRequest,
  PULL_REQUESTS_FILE,
  PullRequestStore,
} from "../../../../functions/local/git-server/pull-request-store.js";

let gitDir: string;

beforeEach(async () => {
  gitDir = await mkdtemp(path.join(os.tmpdir(), "shipline-pull-store-"));
});

afterEach(async () => {
  await rm(gitDir, { recursive: true, force: true });
});

function pullRequest(number: number): LocalPullRequest {
  const at = new Date("2026-03-01T10:00:00.000Z");
  return {
    number,
    title: `Deploy ${number}`,
    body: null,
    state: "open",
    head: { ref: `feature-${number}`, sha: "a".repeat(40) },
    base: { ref: "main", sha: "b".repeat(40) },
    user: "writer",
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    mergedAt: null,
    mergeCommitSha: null,
    mergedBy: null,
  };
}

const openOne = (store: PullRequestStore) =>
  store.change(gitDir, async (ledger) => ({
    next: {
      nextNumber: ledger.nextNumber + 1,
      pullRequests: [...ledger.pullRequests, pullRequest(ledger.nextNumber)],
    },
    result: ledger.nextNumber,
  }));

describe("PullRequestStore", () => {
  it("starts a repository without pull requests at number 1", async () => {
    // Arrange
    const store = new PullRequestStore();

    // Act
    const ledger = await store.read(gitDir);

    // Assert
    expect(ledger).toEqual({ nextNumber: 1, pullRequests: [] });
  });

  it("stores pull requests so that a new store reads them back", async () => {
    // Arrange
    await openOne(new PullRequestStore());

    // Act
    const ledger = await new PullRequestStore().read(gitDir);

    // Assert
    expect(ledger).toEqual({ nextNumber: 2, pullRequests: [pullRequest(1)] });
    expect(await readdir(gitDir)).toEqual([PULL_REQUESTS_FILE]);
  });

  it("runs concurrent changes of one repository one after the other", async () => {
    // Arrange
    const store = new PullRequestStore();

    // Act
    const numbers = await Promise.all([openOne(store), openOne(store), openOne(store)]);

    // Assert
    expect(numbers).toEqual([1, 2, 3]);
    expect((await store.read(gitDir)).pullRequests.map((pr) => pr.number)).toEqual([1, 2, 3]);
  });

  it("writes nothing for a change that fails and goes on with the next one", async () => {
    // Arrange
    const store = new PullRequestStore();
    const failing = store.change(gitDir, async () => {
      throw new Error("refused");
    });

    // Act
    const next = openOne(store);

    // Assert
    await expect(failing).rejects.toThrow("refused");
    await expect(next).resolves.toBe(1);
  });

  it("refuses a file it cannot read with PULL_REQUEST_STORE_INVALID", async () => {
    // Arrange
    await writeFile(path.join(gitDir, PULL_REQUESTS_FILE), '{"version":1,"nextNumber":"x"}');

    // Act
    const read = new PullRequestStore().read(gitDir);

    // Assert
    await expect(read).rejects.toMatchObject({ code: "PULL_REQUEST_STORE_INVALID" });
    expect(await readFile(path.join(gitDir, PULL_REQUESTS_FILE), "utf8")).toContain('"x"');
  });
});
