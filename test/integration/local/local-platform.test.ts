import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type LocalPlatform, startLocalPlatform } from "../../../functions/local/runtime/local-platform.js";
import { git, gitEnvironment } from "./git-server-kit.js";

const SHIPLINE = resolve(__dirname, "../../../bin/shipline.mjs");

describe("the local platform", () => {
  let platform: LocalPlatform | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("lets a developer push with the credential helper and turns the push into Commit Pushed on the bus", async () => {
    // Arrange
    dir = await mkdtemp(join(tmpdir(), "shipline-platform-"));
    platform = await startLocalPlatform({ dataDir: join(dir, "data") });
    await platform.git.createRepository("demo");
    const home = join(dir, "home");
    await mkdir(home);
    const env = await gitEnvironment(home);
    const helper = `!"${process.execPath}" "${SHIPLINE}" git-credential --data-dir "${join(dir, "data")}"`;
    const work = join(dir, "work");
    const cloned = await git(["clone", "--quiet", platform.git.cloneUrl("demo"), work], { cwd: dir, env });
    expect(cloned.code, cloned.stderr).toBe(0);
    await git(["config", "credential.helper", helper], { cwd: work, env });
    await git(["config", "credential.useHttpPath", "true"], { cwd: work, env });
    await writeFile(join(work, "README.md"), "# demo\n");
    await git(["add", "README.md"], { cwd: work, env });
    await git(["commit", "--quiet", "-m", "First commit"], { cwd: work, env });
    const commit = (await git(["rev-parse", "HEAD"], { cwd: work, env })).stdout.trim();

    // Act
    const pushed = await git(["push", "--quiet", "origin", "main"], { cwd: work, env });
    await platform.git.idle();
    await platform.bus.drain();

    // Assert
    expect(pushed.code, pushed.stderr).toBe(0);
    const events = (await platform.bus.archive.read()).map((record) => record.event);
    const pushes = events.filter((event) => event["detail-type"] === "Commit Pushed");
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.detail).toMatchObject({ commit, refName: "main", provider: "github" });
  });

  it("refuses a push that carries no token, so nothing reaches the bus", async () => {
    // Arrange
    dir = await mkdtemp(join(tmpdir(), "shipline-platform-"));
    platform = await startLocalPlatform({ dataDir: join(dir, "data") });
    await platform.git.createRepository("demo");
    const home = join(dir, "home");
    await mkdir(home);
    const env = await gitEnvironment(home);
    const work = join(dir, "work");
    await git(["clone", "--quiet", platform.git.cloneUrl("demo"), work], { cwd: dir, env });
    await writeFile(join(work, "README.md"), "# demo\n");
    await git(["add", "README.md"], { cwd: work, env });
    await git(["commit", "--quiet", "-m", "First commit"], { cwd: work, env });

    // Act
    const pushed = await git(["push", "--quiet", "origin", "main"], { cwd: work, env });
    await platform.bus.drain();

    // Assert
    expect(pushed.code).not.toBe(0);
    const events = (await platform.bus.archive.read()).map((record) => record.event);
    expect(events.filter((event) => event["detail-type"] === "Commit Pushed")).toEqual([]);
  });
});
