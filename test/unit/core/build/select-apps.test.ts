import { describe, expect, it } from "vitest";
import { selectApps } from "../../../../functions/core/build/select-apps.js";
import { appConfig, pushOf } from "./build-test-kit.js";

const api = appConfig("api", { source: { paths: ["services/api/**", "libs/**"], ignorePaths: ["**/*.md"] } });
const web = appConfig("web", { source: { paths: ["services/web/**"] } });
const releases = appConfig("worker", { source: { branch: "release/*", paths: ["services/worker/**"] } });
const other = appConfig("billing", { source: { repo: "https://github.com/acme/billing" } });
const config = { apps: [api, web, releases, other] };

describe("selectApps", () => {
  it.each([
    {
      case: "a change under one app's directory builds that app only",
      paths: { modified: ["services/api/main.ts"] },
      built: ["api"],
    },
    {
      case: "a change to a shared library builds the app that lists it",
      paths: { added: ["libs/log.ts"] },
      built: ["api"],
    },
    {
      case: "a removed file counts as a change",
      paths: { removed: ["services/web/old.ts"] },
      built: ["web"],
    },
    {
      case: "changes under two apps build both",
      paths: { modified: ["services/api/a.ts", "services/web/b.ts"] },
      built: ["api", "web"],
    },
    { case: "an ignored path builds nothing", paths: { modified: ["services/api/README.md"] }, built: [] },
    {
      case: "a dotfile in an app's directory counts",
      paths: { added: ["services/web/.env.example"] },
      built: ["web"],
    },
    { case: "a change outside every app builds nothing", paths: { modified: ["docs/index.md"] }, built: [] },
  ])("$case", ({ paths, built }) => {
    // Arrange
    const push = pushOf(paths);

    // Act
    const { selected } = selectApps({ config, push });

    // Assert
    expect(selected.map((selection) => selection.app.name)).toEqual(built);
  });

  it("says for every app why a push that touches no app builds nothing", () => {
    // Arrange
    const push = pushOf({ modified: ["docs/index.md"] });

    // Act
    const { selected, skipped } = selectApps({ config, push });

    // Assert
    expect(selected).toEqual([]);
    expect(skipped).toEqual([
      {
        app: "api",
        reason: expect.stringContaining("none of the 1 changed path(s) (docs/index.md) matches"),
      },
      { app: "web", reason: expect.stringContaining('source.paths ["services/web/**"]') },
      { app: "worker", reason: "branch 'main' does not match source.branch 'release/*'" },
      {
        app: "billing",
        reason: expect.stringContaining("not to the app's repository https://github.com/acme/billing"),
      },
    ]);
  });

  it("matches the branch glob against the branch name", () => {
    // Arrange
    const push = pushOf(
      { modified: ["services/worker/job.ts"] },
      { ref: "refs/heads/release/2.1", refName: "release/2.1" },
    );

    // Act
    const { selected } = selectApps({ config, push });

    // Assert
    expect(selected.map((selection) => selection.app.name)).toEqual(["worker"]);
  });

  it("does not let a branch glob cross a slash", () => {
    // Arrange
    const push = pushOf(
      { modified: ["services/worker/job.ts"] },
      { ref: "refs/heads/release/2/hotfix", refName: "release/2/hotfix" },
    );

    // Act
    const { selected } = selectApps({ config, push });

    // Assert
    expect(selected).toEqual([]);
  });

  it("compares repositories by canonical key, ignoring case, scheme details and .git", () => {
    // Arrange
    const push = pushOf(
      { modified: ["src/a.ts"] },
      {
        repository: { name: "Billing", fullName: "Acme/Billing", url: "https://GitHub.com/Acme/Billing.git" },
      },
    );

    // Act
    const { selected } = selectApps({ config, push });

    // Assert
    expect(selected.map((selection) => selection.app.name)).toEqual(["billing"]);
  });

  it("matches a local:<name> repository to the local git server's repository of that name", () => {
    // Arrange
    const demo = appConfig("demo", { source: { repo: "local:demo" } });
    const push = pushOf(
      { modified: ["src/a.ts"] },
      { repository: { name: "demo", fullName: "demo", url: "http://127.0.0.1:43111/demo.git" } },
    );

    // Act
    const { selected } = selectApps({ config: { apps: [demo, other] }, push });

    // Assert
    expect(selected.map((selection) => selection.app.name)).toEqual(["demo"]);
  });

  it("does not match local:<name> to a repository of that name on another host", () => {
    // Arrange
    const demo = appConfig("demo", { source: { repo: "local:demo" } });
    const push = pushOf(
      { modified: ["src/a.ts"] },
      { repository: { name: "demo", fullName: "demo", url: "https://git.example.com/demo.git" } },
    );

    // Act
    const { selected } = selectApps({ config: { apps: [demo] }, push });

    // Assert
    expect(selected).toEqual([]);
  });

  it("treats every path as changed when the push does not tell its paths", () => {
    // Arrange
    const push = pushOf({}, { commits: [], pathsKnown: false, provider: "bitbucket" });

    // Act
    const { selected } = selectApps({ config, push });

    // Assert
    expect(selected.map((selection) => selection.app.name)).toEqual(["api", "web"]);
    expect(selected[0]?.reason).toContain(
      "bitbucket does not list the changed paths, so every path counts as changed",
    );
  });

  it("names a new branch as the reason the paths are unknown", () => {
    // Arrange
    const push = pushOf({}, { before: "0".repeat(40), pathsKnown: false });

    // Act
    const { selected } = selectApps({ config, push });

    // Assert
    expect(selected[0]?.reason).toContain("branch 'main' is new");
  });

  it("builds nothing for a tag push and says why", () => {
    // Arrange
    const push = pushOf(
      { modified: ["services/api/main.ts"] },
      { ref: "refs/tags/v1.0.0", refType: "tag", refName: "v1.0.0" },
    );

    // Act
    const { selected, skipped } = selectApps({ config, push });

    // Assert
    expect(selected).toEqual([]);
    expect(skipped.find((entry) => entry.app === "api")?.reason).toBe(
      "tag 'v1.0.0' was pushed; tags build nothing, since the commit was built when its branch was pushed",
    );
  });

  it("builds an app whose default paths match every file", () => {
    // Arrange
    const push = pushOf(
      { modified: [".github/workflows/ci.yml"] },
      { repository: { name: "billing", fullName: "acme/billing", url: "https://github.com/acme/billing" } },
    );

    // Act
    const { selected } = selectApps({ config, push });

    // Assert
    expect(selected.map((selection) => selection.app.name)).toEqual(["billing"]);
    expect(selected[0]?.reason).toBe(
      "branch 'main' matches 'main'; 1 changed path(s) match source.paths (.github/workflows/ci.yml)",
    );
  });

  it("selects by the paths read from the repository when the push lists none, and says so", () => {
    // Arrange
    const push = pushOf({}, { provider: "bitbucket", pathsKnown: false });
    const changed = {
      known: true,
      paths: ["services/web/app.ts", "README.md"],
      origin: "repository",
    } as const;

    // Act
    const { selected, skipped } = selectApps({ config, push, changed });

    // Assert
    expect(selected.map((selection) => [selection.app.name, selection.reason])).toEqual([
      [
        "web",
        "branch 'main' matches 'main'; 1 changed path(s) read from the repository match source.paths (services/web/app.ts)",
      ],
    ]);
    expect(skipped.find((entry) => entry.app === "api")?.reason).toBe(
      'none of the 2 changed path(s) read from the repository (services/web/app.ts, README.md) matches source.paths ["services/api/**","libs/**"] outside source.ignorePaths ["**/*.md"]',
    );
  });

  it("never builds an app with build: external, and says its own CI builds it", () => {
    // Arrange
    const external = appConfig("edge", {
      source: { paths: ["services/edge/**"] },
      build: { external: true },
    });
    const push = pushOf({ modified: ["services/edge/main.ts", "services/web/app.ts"] });

    // Act
    const { selected, skipped } = selectApps({ config: { apps: [external, web] }, push });

    // Assert
    expect(selected.map((selection) => selection.app.name)).toEqual(["web"]);
    expect(skipped).toEqual([
      {
        app: "edge",
        reason:
          "build is external: the app's own CI builds and pushes its images, which enter the chain when they are announced",
      },
    ]);
  });
});
