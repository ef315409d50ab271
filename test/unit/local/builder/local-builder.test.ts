import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { LocalImageRegistry } from "../../../../functions/adapters/local/local-image-registry.js";
import { BuildVariable } from "../../../../functions/core/build/build-variable.js";
import { build as buildSchema, isManagedBuild } from "../../../../functions/core/config/build.js";
import type { CodeBuildBuildStateChangeEvent } from "../../../../functions/core/contracts/aws/codebuild-build-state-change.js";
import { LocalBuilder } from "../../../../functions/local/builder/local-builder.js";
import {
  type LocalRegistry,
  startLocalRegistry,
} from "../../../../functions/local/registry/local-registry.js";

interface Harness {
  readonly dir: string;
  readonly registry: LocalRegistry;
  readonly builder: LocalBuilder;
  readonly events: CodeBuildBuildStateChangeEvent[];
  readonly commit: string;
  /** Another builder on the same data directory and projects (the runtime started again). */
  restarted(events: CodeBuildBuildStateChangeEvent[]): LocalBuilder;
  /** Ends the delivery of the first builder's last state change, when `holdLastStateChange` held it. */
  releaseLastStateChange(): void;
}

let harness: Harness | undefined;

afterEach(async () => {
  if (!harness) return;
  await harness.builder.stop();
  await harness.registry.close();
  await rm(harness.dir, { recursive: true, force: true });
  harness = undefined;
});

const GIT_ENV = {
  PATH: process.env.PATH,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.test",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.test",
};

/** A bare repository holding one commit of `files`, and that commit. */
async function sourceRepository(
  dir: string,
  files: Record<string, string>,
): Promise<{ url: string; commit: string }> {
  const work = path.join(dir, "work");
  await mkdir(work, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(work, name), content);
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: work, env: GIT_ENV, encoding: "utf8" }).trim();
  git("init", "--quiet", "--initial-branch=main");
  git("add", "--all");
  git("commit", "--quiet", "-m", "app");
  const commit = git("rev-parse", "HEAD");
  execFileSync("git", ["clone", "--quiet", "--bare", work, path.join(dir, "app.git")], { env: GIT_ENV });
  return { url: path.join(dir, "app.git"), commit };
}

async function start(testCommand: string, options: { holdLastStateChange?: boolean } = {}): Promise<Harness> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-builder-"));
  const { url, commit } = await sourceRepository(dir, {
    "package.json": '{"name":"demo","version":"1.2.3"}\n',
    "server.js": "console.log('demo');\n",
    Dockerfile:
      'FROM node:20-alpine\nWORKDIR /srv\nCOPY package.json server.js ./\nCMD ["node", "server.js"]\n',
  });
  const registry = await startLocalRegistry({ dataDir: path.join(dir, "registry") });
  const events: CodeBuildBuildStateChangeEvent[] = [];
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const builderOf = (received: CodeBuildBuildStateChangeEvent[], hold = false) =>
    new LocalBuilder({
      dataDir: path.join(dir, "builder"),
      projects: (name) => {
        const build = buildSchema.parse({ commands: { install: "echo installing", test: testCommand } });
        return name === "demo" && isManagedBuild(build) ? { sourceUrl: url, build } : undefined;
      },
      onStateChange: async (event) => {
        received.push(event);
        if (hold && event.detail["build-status"] !== "IN_PROGRESS") await held;
      },
      imageBuilder: "auto",
      buildahUsable: async () => false,
    });
  const builder = builderOf(events, options.holdLastStateChange);
  harness = {
    dir,
    registry,
    builder,
    events,
    commit,
    restarted: (received) => builderOf(received),
    releaseLastStateChange: release,
  };
  return harness;
}

function environmentFor(h: Harness): Record<string, string> {
  return {
    [BuildVariable.App]: "demo",
    [BuildVariable.Commit]: h.commit,
    [BuildVariable.CorrelationId]: "journey-7",
    [BuildVariable.ImageRepositoryUri]: `${h.registry.host}/demo`,
    [BuildVariable.ImageTagTemplate]: `{version}-${h.commit.slice(0, 7)}`,
    [BuildVariable.VersionFrom]: "package-json",
    [BuildVariable.VersionPath]: "package.json",
  };
}

describe("LocalBuilder", () => {
  it("runs a build the runtime stopped during, again at the next start, under the same build id", async () => {
    // Arrange: the first run of the test command blocks until it is stopped; the second passes.
    const marker = path.join(os.tmpdir(), `shipline-builder-resume-${process.pid}-${Date.now()}`);
    const h = await start(`test -f "${marker}" || { touch "${marker}"; sleep 60; }`);
    const started = await h.builder.startBuild({
      projectName: "demo",
      sourceVersion: h.commit,
      environment: environmentFor(h),
      idempotencyToken: "t-resume",
    });
    for (let waited = 0; waited < 100; waited += 1) {
      if (
        await readFile(marker).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await h.builder.stop();
    const afterEvents: CodeBuildBuildStateChangeEvent[] = [];
    const restarted = h.restarted(afterEvents);

    // Act
    const resumed = await restarted.resume();
    await restarted.idle();

    // Assert
    expect(h.events.map((event) => event.detail["build-status"])).toEqual(["IN_PROGRESS"]);
    expect(resumed).toEqual([started.buildId]);
    expect(afterEvents.at(-1)?.detail).toMatchObject({
      "build-status": "SUCCEEDED",
      "build-id": `arn:aws:codebuild:local:000000000000:build/${started.buildId}`,
    });
    expect(await restarted.resume()).toEqual([]);
    await rm(marker, { force: true });
  });

  it("delivers again, and does not run again, a build the runtime died while it delivered the build's end", async () => {
    // Arrange: the SUCCEEDED state change is still being delivered when the runtime dies.
    const h = await start("echo testing", { holdLastStateChange: true });
    const started = await h.builder.startBuild({
      projectName: "demo",
      sourceVersion: h.commit,
      environment: environmentFor(h),
      idempotencyToken: "t-ended",
    });
    for (let waited = 0; waited < 600 && h.events.length < 2; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const last = h.events.at(-1);
    const afterEvents: CodeBuildBuildStateChangeEvent[] = [];
    const restarted = h.restarted(afterEvents);

    // Act
    const resumed = await restarted.resume();
    await restarted.idle();
    const again = await restarted.startBuild({
      projectName: "demo",
      sourceVersion: h.commit,
      environment: environmentFor(h),
      idempotencyToken: "t-ended",
    });
    h.releaseLastStateChange();

    // Assert
    expect(last?.detail["build-status"]).toBe("SUCCEEDED");
    expect(resumed).toEqual([started.buildId]);
    expect(afterEvents).toEqual([last]);
    expect(again.buildId).toBe(started.buildId);
    expect(await restarted.resume()).toEqual([]);
  });

  it("checks out the commit, runs the phases, pushes a labelled image and reports CodeBuild-shaped events", async () => {
    // Arrange
    const h = await start(
      'test "$CODEBUILD_RESOLVED_SOURCE_VERSION" = "$SHIPLINE_COMMIT" && test -f "$CODEBUILD_SRC_DIR/server.js"',
    );

    // Act
    const started = await h.builder.startBuild({
      projectName: "demo",
      sourceVersion: h.commit,
      environment: environmentFor(h),
      idempotencyToken: "t1",
    });
    await h.builder.idle();

    // Assert
    expect(started.buildId).toMatch(/^demo:[0-9a-f-]{36}$/);
    const tag = `1.2.3-${h.commit.slice(0, 7)}`;
    const stored = await h.registry.getManifest("demo", tag);
    expect(stored).toBeDefined();
    const labels = await new LocalImageRegistry(h.registry).getImageLabels("demo", stored?.digest ?? "");
    expect(labels).toMatchObject({
      "org.opencontainers.image.revision": h.commit,
      "dev.shipline.correlation-id": "journey-7",
    });
    expect(h.events.map((event) => event.detail["build-status"])).toEqual(["IN_PROGRESS", "SUCCEEDED"]);
    const final = h.events[1]?.detail;
    expect(final?.["build-id"]).toBe(`arn:aws:codebuild:local:000000000000:build/${started.buildId}`);
    expect(
      final?.["additional-information"].phases.map((phase) => [phase["phase-type"], phase["phase-status"]]),
    ).toEqual([
      ["SUBMITTED", "SUCCEEDED"],
      ["PROVISIONING", "SUCCEEDED"],
      ["DOWNLOAD_SOURCE", "SUCCEEDED"],
      ["INSTALL", "SUCCEEDED"],
      ["PRE_BUILD", "SUCCEEDED"],
      ["BUILD", "SUCCEEDED"],
      ["POST_BUILD", "SUCCEEDED"],
      ["UPLOAD_ARTIFACTS", "SUCCEEDED"],
      ["FINALIZING", "SUCCEEDED"],
      ["COMPLETED", undefined],
    ]);
    expect(final?.["additional-information"].environment?.["environment-variables"]).toContainEqual({
      name: BuildVariable.CorrelationId,
      type: "PLAINTEXT",
      value: "journey-7",
    });
    expect(final?.["additional-information"].logs?.["deep-link"]).toBe(started.logsUrl);
    const log = await readFile(fileURLToPath(started.logsUrl ?? ""), "utf8");
    expect(log).toContain("Running command echo installing");
    expect(log).toContain("installing\n");
    expect(h.builder.result(started.buildId)).toEqual({
      status: "SUCCEEDED",
      image: { uri: `${h.registry.host}/demo`, tag, digest: stored?.digest },
    });
  });

  it("fails at PRE_BUILD when a test command fails, and builds no image", async () => {
    // Arrange
    const h = await start("echo 'test failed' && exit 3");

    // Act
    const started = await h.builder.startBuild({
      projectName: "demo",
      sourceVersion: h.commit,
      environment: environmentFor(h),
      idempotencyToken: "t2",
    });
    await h.builder.idle();

    // Assert
    const final = h.events.at(-1)?.detail;
    expect(final?.["build-status"]).toBe("FAILED");
    const phases = final?.["additional-information"].phases ?? [];
    expect(phases.map((phase) => phase["phase-type"])).toEqual([
      "SUBMITTED",
      "PROVISIONING",
      "DOWNLOAD_SOURCE",
      "INSTALL",
      "PRE_BUILD",
      "FINALIZING",
      "COMPLETED",
    ]);
    expect(phases[4]).toMatchObject({
      "phase-status": "FAILED",
      "phase-context": [
        "COMMAND_EXECUTION_ERROR: Error while executing command: echo 'test failed' && exit 3. Reason: exit status 3",
      ],
    });
    expect(await h.registry.listImages("demo")).toEqual([]);
    expect(await readFile(fileURLToPath(started.logsUrl ?? ""), "utf8")).toContain("test failed\n");
  });

  it("returns the same build for the same idempotency token and numbers new builds per project", async () => {
    // Arrange
    const h = await start("true");
    const input = {
      projectName: "demo",
      sourceVersion: h.commit,
      environment: environmentFor(h),
      idempotencyToken: "same",
    };

    // Act
    const first = await h.builder.startBuild(input);
    const repeated = await h.builder.startBuild(input);
    const other = await h.builder.startBuild({ ...input, idempotencyToken: "other" });
    await h.builder.idle();

    // Assert
    expect(repeated).toEqual(first);
    expect([first.buildNumber, other.buildNumber]).toEqual([1, 2]);
  });

  it("refuses a project it does not have", async () => {
    // Arrange
    const h = await start("true");

    // Act & Assert
    await expect(
      h.builder.startBuild({
        projectName: "unknown",
        sourceVersion: h.commit,
        environment: {},
        idempotencyToken: "x",
      }),
    ).rejects.toMatchObject({ code: "BUILD_PROJECT_NOT_FOUND" });
  });
});
