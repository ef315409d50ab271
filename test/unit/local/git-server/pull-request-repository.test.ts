import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  pullRequestRepoUrlOf,
  resolvePullRequestRepository,
} from "../../../../functions/local/git-server/pull-request-repository.js";
import { RepositoryStore } from "../../../../functions/local/git-server/repository-store.js";

let rootDir: string;
let store: RepositoryStore;

beforeAll(async () => {
  rootDir = await mkdtemp(path.join(os.tmpdir(), "shipline-pull-repos-"));
  store = new RepositoryStore({ rootDir });
  await store.create("config");
  await store.create("team/app");
  await store.create("both");
  await store.create("local/both");
});

afterAll(async () => {
  await rm(rootDir, { recursive: true, force: true });
});

describe("pullRequestRepoUrlOf", () => {
  it.each([
    ["config", "http://127.0.0.1:9/local/config"],
    ["team/app", "http://127.0.0.1:9/team/app"],
  ])("gives %s the URL %s", (name, url) => {
    // Arrange
    const options = { baseUrl: "http://127.0.0.1:9", name, defaultOwner: "local" };

    // Act
    const answer = pullRequestRepoUrlOf(options);

    // Assert
    expect(answer).toBe(url);
  });

  it("refuses a name that is not a repository name", () => {
    // Arrange
    const options = { baseUrl: "http://127.0.0.1:9", name: "../etc", defaultOwner: "local" };

    // Act
    const answer = () => pullRequestRepoUrlOf(options);

    // Assert
    expect(answer).toThrow(expect.objectContaining({ code: "REPOSITORY_NAME_INVALID" }));
  });
});

describe("resolvePullRequestRepository", () => {
  it.each([
    ["local", "config", "config"],
    ["team", "app", "team/app"],
    ["other", "config", undefined],
    ["local", "missing", undefined],
  ])("maps %s/%s to the repository %s", async (owner, name, fullName) => {
    // Arrange
    const options = { store, owner, name, defaultOwner: "local" };

    // Act
    const repository = await resolvePullRequestRepository(options);

    // Assert
    expect(repository?.fullName).toBe(fullName);
  });

  it("refuses an owner/name that names two repositories", async () => {
    // Arrange
    const options = { store, owner: "local", name: "both", defaultOwner: "local" };

    // Act
    const resolved = resolvePullRequestRepository(options);

    // Assert
    await expect(resolved).rejects.toMatchObject({
      code: "PULL_REQUEST_REPOSITORY_AMBIGUOUS",
      data: { status: 409 },
    });
  });
});
