import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { registryScanCompletedEvent } from "../../functions/core/contracts/registry/registry-scan-completed.js";
import { registryScanReportKey } from "../../functions/core/contracts/registry/registry-scan-report-key.js";
import { registryScanBuildspec, type TrivyRelease } from "../../infra/constructs/registry-scan-buildspec.js";

const run = promisify(execFile);
const DIGEST = `sha256:${"2c".repeat(32)}`;

/** The parts of the buildspec the tests run. */
const buildspec = z.object({
  env: z.object({ shell: z.literal("bash"), variables: z.record(z.string(), z.string()) }),
  phases: z.object({
    build: z.object({ commands: z.tuple([z.string()]) }),
    post_build: z.object({ commands: z.tuple([z.string()]) }),
  }),
});

/** One call of a stand-in tool: its arguments and the registry account it saw. */
const call = z.object({ tool: z.string(), args: z.array(z.string()), username: z.string() });

let dir: string;
let bin: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "shipline-scan-job-"));
  bin = path.join(dir, "bin");
  await mkdir(bin);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Writes a stand-in tool on PATH that records its call (JSON lines in calls.jsonl) and then runs
 * `body` (bash).
 */
async function standIn(name: string, body: string, where = bin): Promise<string> {
  const file = path.join(where, name);
  await writeFile(
    file,
    [
      "#!/usr/bin/env bash",
      `node -e 'require("fs").appendFileSync(process.env.CALLS, JSON.stringify({ tool: process.argv[1], args: process.argv.slice(2), username: process.env.TRIVY_USERNAME ?? "" }) + "\\n")' ${name} "$@"`,
      body,
    ].join("\n"),
  );
  await chmod(file, 0o755);
  return file;
}

/** The AWS CLI as the job uses it: s3 cp copies into `uploads/`, put-events keeps its entries. */
async function standInAws(options: { readonly failedEntries?: number } = {}): Promise<void> {
  await standIn(
    "aws",
    [
      'case "$1 $2" in',
      '  "s3 cp") mkdir -p uploads && cp "$4" "uploads/$(printf %s "$5" | tr / _)" ;;',
      `  "events put-events") cp "\${4#file://}" put-entries.json && echo ${options.failedEntries ?? 0} ;;`,
      `  "secretsmanager get-secret-value") echo '{"name": "robot$acme+shipline", "secret": "s3cr3t"}' ;;`,
      "esac",
    ].join("\n"),
  );
}

async function calls(): Promise<z.output<typeof call>[]> {
  const text = await readFile(path.join(dir, "calls.jsonl"), "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => call.parse(JSON.parse(line)));
}

/** Runs one phase's command as CodeBuild would: bash, in the job's directory, with its variables. */
async function runPhase(
  command: string,
  env: Record<string, string>,
): Promise<{ ok: boolean; stderr: string }> {
  try {
    await run("bash", ["-c", command], {
      cwd: dir,
      env: {
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        HOME: dir,
        CALLS: path.join(dir, "calls.jsonl"),
        ...env,
      },
    });
    return { ok: true, stderr: "" };
  } catch (error) {
    return { ok: false, stderr: z.object({ stderr: z.string() }).parse(error).stderr };
  }
}

/** A Trivy release archive whose `trivy` is a stand-in that writes an empty report. */
async function fakeTrivyRelease(): Promise<{ release: TrivyRelease; archive: string }> {
  const staging = path.join(dir, "staging");
  await mkdir(staging);
  await standIn(
    "trivy",
    'out=""; while [ $# -gt 0 ]; do [ "$1" = --output ] && out="$2"; shift; done; [ -n "$out" ] && echo \'{"SchemaVersion": 2}\' > "$out"; exit 0',
    staging,
  );
  const archive = path.join(dir, "release.tar.gz");
  await run("tar", ["-czf", archive, "-C", staging, "trivy"]);
  const sha256 = createHash("sha256")
    .update(await readFile(archive))
    .digest("hex");
  return { release: { version: "0.69.3", sha256 }, archive };
}

const IMAGE = {
  REGISTRY: "ghcr.io",
  REPOSITORY: "acme/api",
  DIGEST,
  IMAGE_URI: `ghcr.io/acme/api:1.4.0@${DIGEST}`,
};
const PROJECT = { SHIPLINE_EVENT_BUS: "shipline-bus", SHIPLINE_SCAN_REPORTS_BUCKET: "reports-bucket" };

describe("the scan job's post_build", () => {
  it("uploads the report under the image's key and puts a COMPLETE Registry Scan Completed the contract reads", async () => {
    // Arrange
    const spec = buildspec.parse(registryScanBuildspec({ version: "0.69.3", sha256: "0".repeat(64) }));
    await standInAws();
    await writeFile(path.join(dir, "report.json"), '{"SchemaVersion": 2}');

    // Act
    const outcome = await runPhase(spec.phases.post_build.commands[0], {
      ...spec.env.variables,
      ...PROJECT,
      ...IMAGE,
      CODEBUILD_BUILD_SUCCEEDING: "1",
    });

    // Assert
    expect(outcome).toEqual({ ok: true, stderr: "" });
    const key = registryScanReportKey({ registry: "ghcr.io", repository: "acme/api", digest: DIGEST });
    expect((await calls()).find((made) => made.args[0] === "s3")?.args).toEqual([
      "s3",
      "cp",
      "--only-show-errors",
      "report.json",
      `s3://reports-bucket/${key}`,
    ]);
    const [entry] = z
      .array(
        z.object({
          EventBusName: z.string(),
          Source: z.string(),
          DetailType: z.string(),
          Detail: z.string(),
        }),
      )
      .parse(JSON.parse(await readFile(path.join(dir, "put-entries.json"), "utf8")));
    const event = registryScanCompletedEvent.parse({
      version: "0",
      id: "1",
      "detail-type": entry?.DetailType,
      source: entry?.Source,
      account: "123456789012",
      time: "2026-12-07T21:40:00Z",
      region: "eu-west-1",
      resources: [],
      detail: JSON.parse(entry?.Detail ?? "null"),
    });
    expect(entry?.EventBusName).toBe("shipline-bus");
    expect(event.detail).toEqual({
      registry: "ghcr.io",
      repository: "acme/api",
      digest: DIGEST,
      status: "COMPLETE",
      reportKey: key,
      scanner: "trivy",
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it("puts a FAILED Registry Scan Completed, uploading nothing, when the scan failed", async () => {
    // Arrange
    const spec = buildspec.parse(registryScanBuildspec({ version: "0.69.3", sha256: "0".repeat(64) }));
    await standInAws();

    // Act
    const outcome = await runPhase(spec.phases.post_build.commands[0], {
      ...spec.env.variables,
      ...PROJECT,
      ...IMAGE,
      CODEBUILD_BUILD_SUCCEEDING: "0",
    });

    // Assert
    expect(outcome.ok).toBe(true);
    expect((await calls()).map((made) => made.args.slice(0, 2).join(" "))).toEqual(["events put-events"]);
    const [entry] = z
      .array(z.object({ Detail: z.string() }))
      .parse(JSON.parse(await readFile(path.join(dir, "put-entries.json"), "utf8")));
    expect(registryScanCompletedEvent.shape.detail.parse(JSON.parse(entry?.Detail ?? "null"))).toMatchObject({
      status: "FAILED",
      scanner: "trivy",
    });
  });

  it("fails the build when the bus refused the event, so that it is not taken as published", async () => {
    // Arrange
    const spec = buildspec.parse(registryScanBuildspec({ version: "0.69.3", sha256: "0".repeat(64) }));
    await standInAws({ failedEntries: 1 });
    await writeFile(path.join(dir, "report.json"), '{"SchemaVersion": 2}');

    // Act
    const outcome = await runPhase(spec.phases.post_build.commands[0], {
      ...spec.env.variables,
      ...PROJECT,
      ...IMAGE,
      CODEBUILD_BUILD_SUCCEEDING: "1",
    });

    // Assert
    expect(outcome.ok).toBe(false);
    expect(outcome.stderr).toContain("Registry Scan Completed was not put on the bus (1 failed)");
  });
});

describe("the scan job's build", () => {
  it("installs the verified release, fetches the databases, then scans the image by digest with the registry's account", async () => {
    // Arrange
    const { release, archive } = await fakeTrivyRelease();
    const spec = buildspec.parse(registryScanBuildspec(release));
    await standIn(
      "curl",
      `out=""; while [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done; cp "${archive}" "$out"`,
    );
    await standInAws();

    // Act
    const outcome = await runPhase(spec.phases.build.commands[0], {
      ...spec.env.variables,
      ...IMAGE,
      REGISTRY_SECRET: "shipline/ghcr-reader",
    });

    // Assert
    expect(outcome).toEqual({ ok: true, stderr: "" });
    const trivy = (await calls()).filter((made) => made.tool === "trivy");
    expect(trivy).toEqual([
      { tool: "trivy", args: ["image", "--quiet", "--download-db-only"], username: "" },
      { tool: "trivy", args: ["image", "--quiet", "--download-java-db-only"], username: "" },
      {
        tool: "trivy",
        args: expect.arrayContaining([
          "--format",
          "json",
          "--output",
          "report.json",
          `ghcr.io/acme/api@${DIGEST}`,
        ]),
        username: "robot$acme+shipline",
      },
    ]);
    expect(JSON.parse(await readFile(path.join(dir, "report.json"), "utf8"))).toEqual({ SchemaVersion: 2 });
  });

  it("stops before running a release whose checksum differs", async () => {
    // Arrange
    const { archive } = await fakeTrivyRelease();
    const spec = buildspec.parse(registryScanBuildspec({ version: "0.69.3", sha256: "0".repeat(64) }));
    await standIn(
      "curl",
      `out=""; while [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done; cp "${archive}" "$out"`,
    );
    await standInAws();

    // Act
    const outcome = await runPhase(spec.phases.build.commands[0], { ...spec.env.variables, ...IMAGE });

    // Assert
    expect(outcome.ok).toBe(false);
    expect((await calls()).filter((made) => made.tool === "trivy")).toEqual([]);
  });
});
