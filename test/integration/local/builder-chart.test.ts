import { execFile, execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { BuildVariable } from "../../../functions/core/build/build-variable.js";
import { ChartVariable } from "../../../functions/core/build/chart-variable.js";
import { build as buildSchema, isManagedBuild } from "../../../functions/core/config/build.js";
import type { CodeBuildBuildStateChangeEvent } from "../../../functions/core/contracts/aws/codebuild-build-state-change.js";
import { LocalBuilder } from "../../../functions/local/builder/local-builder.js";
import { type LocalRegistry, startLocalRegistry } from "../../../functions/local/registry/local-registry.js";
import { commandRuns, describeWithTool, optionalTool } from "./optional-tool.js";

const run = promisify(execFile);
const SKOPEO = optionalTool({
  name: "skopeo",
  neededFor: "a real OCI client reading the chart the builder pushed",
  install: "apt-get install -y --no-install-recommends skopeo",
  installed: commandRuns("skopeo"),
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

const APP_FILES = {
  "package.json": '{"name":"demo","version":"1.2.3"}\n',
  "server.js": "console.log('demo');\n",
  Dockerfile:
    'FROM node:20-alpine\nWORKDIR /srv\nCOPY package.json server.js ./\nCMD ["node", "server.js"]\n',
  "charts/demo-chart/Chart.yaml":
    "apiVersion: v2\nname: demo-chart # the app's chart\nversion: 0.1.0\nappVersion: dev\n",
  "charts/demo-chart/values.yaml": 'image:\n  repository: demo\n  tag: ""\n',
  "charts/demo-chart/templates/deployment.yaml": "kind: Deployment\n",
  "charts/demo-chart/.helmignore": "*.bak\n",
  "charts/demo-chart/notes.bak": "left out\n",
};

interface Harness {
  readonly dir: string;
  readonly registry: LocalRegistry;
  readonly builder: LocalBuilder;
  readonly events: CodeBuildBuildStateChangeEvent[];
  readonly commit: string;
}

let harness: Harness | undefined;

afterEach(async () => {
  if (!harness) return;
  await harness.builder.stop();
  await harness.registry.close();
  await rm(harness.dir, { recursive: true, force: true });
  harness = undefined;
});

async function start(
  chartPath: string,
  files: Record<string, string> = APP_FILES,
  links: Record<string, string> = {},
): Promise<Harness> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-builder-chart-"));
  const work = path.join(dir, "work");
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(work, name)), { recursive: true });
    await writeFile(path.join(work, name), content);
  }
  for (const [name, target] of Object.entries(links)) await symlink(target, path.join(work, name));
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: work, env: GIT_ENV, encoding: "utf8" }).trim();
  git("init", "--quiet", "--initial-branch=main");
  git("add", "--all");
  git("commit", "--quiet", "-m", "app");
  const commit = git("rev-parse", "HEAD");
  execFileSync("git", ["clone", "--quiet", "--bare", work, path.join(dir, "app.git")], { env: GIT_ENV });
  const registry = await startLocalRegistry({ dataDir: path.join(dir, "registry") });
  const events: CodeBuildBuildStateChangeEvent[] = [];
  const build = buildSchema.parse({ commands: { test: "echo testing" } });
  const builder = new LocalBuilder({
    dataDir: path.join(dir, "builder"),
    projects: (name) =>
      name === "demo" && isManagedBuild(build)
        ? {
            sourceUrl: path.join(dir, "app.git"),
            build,
            chart: { path: chartPath, repository: "charts/demo-chart" },
          }
        : undefined,
    onStateChange: (event) => {
      events.push(event);
    },
    imageBuilder: "pack",
    buildahUsable: async () => false,
  });
  harness = { dir, registry, builder, events, commit };
  return harness;
}

async function buildOnce(h: Harness, tagTemplate: string): Promise<CodeBuildBuildStateChangeEvent> {
  await h.builder.startBuild({
    projectName: "demo",
    sourceVersion: h.commit,
    environment: {
      [BuildVariable.App]: "demo",
      [BuildVariable.Commit]: h.commit,
      [BuildVariable.CorrelationId]: "journey-chart",
      [BuildVariable.ImageRepositoryUri]: `${h.registry.host}/demo`,
      [BuildVariable.ImageTagTemplate]: tagTemplate,
      [BuildVariable.VersionFrom]: "package-json",
      [BuildVariable.VersionPath]: "package.json",
    },
    idempotencyToken: `t-${tagTemplate}`,
  });
  await h.builder.idle();
  const last = h.events.at(-1);
  if (last === undefined) throw new Error("the build emitted nothing");
  return last;
}

/** The names and texts of the files of a gzipped tar (regular files only). */
function tarFiles(gzipped: Buffer): Map<string, string> {
  const tar = gunzipSync(gzipped);
  const files = new Map<string, string>();
  let pax: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = pax ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    pax = undefined;
    if (type === "x") pax = /\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
    else if (type === "0" || type === "") files.set(name, body.toString("utf8"));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe("the local builder with an app's chart", () => {
  it("pushes the chart as a Helm OCI artifact versioned with the image's tag, before the image, and exports it", async () => {
    // Arrange
    const h = await start("charts/demo-chart");
    const tag = `1.2.3-${h.commit.slice(0, 7)}`;

    // Act
    const end = await buildOnce(h, `{version}-${h.commit.slice(0, 7)}`);

    // Assert
    expect(end.detail["build-status"]).toBe("SUCCEEDED");
    const chart = await h.registry.getManifest("charts/demo-chart", tag);
    const image = await h.registry.getManifest("demo", tag);
    expect(chart && image && chart.pushedAt <= image.pushedAt).toBe(true);
    const manifest = JSON.parse(chart?.content.toString("utf8") ?? "{}");
    expect(manifest.config.mediaType).toBe("application/vnd.cncf.helm.config.v1+json");
    expect(manifest.layers.map((layer: { mediaType: string }) => layer.mediaType)).toEqual([
      "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
    ]);
    const config = JSON.parse((await h.registry.getBlob(manifest.config.digest))?.toString("utf8") ?? "{}");
    expect(config).toMatchObject({ apiVersion: "v2", name: "demo-chart", version: tag, appVersion: tag });
    const files = tarFiles((await h.registry.getBlob(manifest.layers[0].digest)) ?? Buffer.alloc(0));
    expect([...files.keys()].sort()).toEqual([
      "demo-chart/.helmignore",
      "demo-chart/Chart.yaml",
      "demo-chart/templates/deployment.yaml",
      "demo-chart/values.yaml",
    ]);
    expect(files.get("demo-chart/Chart.yaml")).toBe(
      `apiVersion: v2\nname: demo-chart # the app's chart\nversion: ${tag}\nappVersion: ${tag}\n`,
    );
    expect(end.detail["additional-information"]?.["exported-environment-variables"]).toEqual(
      expect.arrayContaining([
        { name: ChartVariable.Repository, value: `${h.registry.host}/charts/demo-chart` },
        { name: ChartVariable.Name, value: "demo-chart" },
        { name: ChartVariable.Version, value: tag },
        { name: ChartVariable.Digest, value: chart?.digest },
      ]),
    );
  });

  it("fails the build in BUILD, pushing neither chart nor image, when chart.path holds no chart", async () => {
    // Arrange
    const h = await start("charts/missing");

    // Act
    const end = await buildOnce(h, `{version}-${h.commit.slice(0, 7)}`);

    // Assert
    expect(end.detail["build-status"]).toBe("FAILED");
    const failed = end.detail["additional-information"]?.phases.find(
      (phase) => phase["phase-status"] === "FAILED",
    );
    expect(failed?.["phase-type"]).toBe("BUILD");
    expect(failed?.["phase-context"]?.join(" ")).toMatch(
      /CHART_NOT_FOUND: chart.path 'charts\/missing' holds no Chart.yaml .*fix chart.path/,
    );
    expect(await h.registry.listRepositories()).toEqual([]);
  });

  it("fails the build in BUILD, pushing nothing, when the chart holds a symbolic link", async () => {
    // Arrange: a link out of the checkout, committed with the chart.
    const h = await start("charts/demo-chart", APP_FILES, {
      "charts/demo-chart/templates/hosts.yaml": "/etc/hosts",
    });

    // Act
    const end = await buildOnce(h, `{version}-${h.commit.slice(0, 7)}`);

    // Assert
    expect(end.detail["build-status"]).toBe("FAILED");
    const failed = end.detail["additional-information"]?.phases.find(
      (phase) => phase["phase-status"] === "FAILED",
    );
    expect(failed?.["phase-type"]).toBe("BUILD");
    expect(failed?.["phase-context"]?.join(" ")).toMatch(
      /CHART_SYMLINK: charts\/demo-chart\/templates\/hosts.yaml is a symbolic link \(to '\/etc\/hosts'\)/,
    );
    expect(await h.registry.listRepositories()).toEqual([]);
  });

  it("fails the build, pushing nothing, when the image's tag is not a SemVer chart version", async () => {
    // Arrange
    const h = await start("charts/demo-chart");

    // Act
    const end = await buildOnce(h, `build-${h.commit.slice(0, 7)}`);

    // Assert
    expect(end.detail["build-status"]).toBe("FAILED");
    const context = end.detail["additional-information"]?.phases.flatMap(
      (phase) => phase["phase-context"] ?? [],
    );
    expect(context?.join(" ")).toMatch(/CHART_VERSION_INVALID: .*not SemVer 2.*\{version\}-\{sha7\}/);
    expect(await h.registry.listRepositories()).toEqual([]);
  });

  it("refuses a chart whose name is not the chart repository's last segment", async () => {
    // Arrange
    const h = await start("charts/demo-chart", {
      ...APP_FILES,
      "charts/demo-chart/Chart.yaml": "apiVersion: v2\nname: other\nversion: 0.1.0\n",
    });

    // Act
    const end = await buildOnce(h, `{version}-${h.commit.slice(0, 7)}`);

    // Assert
    const context = end.detail["additional-information"]?.phases.flatMap(
      (phase) => phase["phase-context"] ?? [],
    );
    expect(context?.join(" ")).toMatch(
      /CHART_NAME_MISMATCH: .*named 'other'.*ends in 'demo-chart'; make them the same/,
    );
    expect(await h.registry.listRepositories()).toEqual([]);
  });
});

describeWithTool(SKOPEO, "the chart the local builder pushed, read with skopeo", () => {
  it("is an OCI manifest with Helm's config and content media types, at the image's tag", async () => {
    // Arrange
    const h = await start("charts/demo-chart");
    const tag = `1.2.3-${h.commit.slice(0, 7)}`;
    await buildOnce(h, `{version}-${h.commit.slice(0, 7)}`);
    const authFile = path.join(h.dir, "auth.json");
    await writeFile(authFile, JSON.stringify({ auths: {} }));
    const env = { PATH: process.env.PATH, HOME: h.dir, REGISTRY_AUTH_FILE: authFile, XDG_RUNTIME_DIR: h.dir };

    // Act
    const { stdout } = await run(
      "skopeo",
      [
        "--insecure-policy",
        "inspect",
        "--tls-verify=false",
        "--raw",
        `docker://${h.registry.host}/charts/demo-chart:${tag}`,
      ],
      { env, timeout: 60_000 },
    );
    const tags = await run(
      "skopeo",
      [
        "--insecure-policy",
        "list-tags",
        "--tls-verify=false",
        `docker://${h.registry.host}/charts/demo-chart`,
      ],
      { env, timeout: 60_000 },
    );

    // Assert
    const manifest = JSON.parse(stdout);
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.cncf.helm.config.v1+json" },
      layers: [{ mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip" }],
      annotations: {
        "org.opencontainers.image.title": "demo-chart",
        "org.opencontainers.image.version": tag,
      },
    });
    expect(JSON.parse(tags.stdout).Tags).toEqual([tag]);
  });
});
