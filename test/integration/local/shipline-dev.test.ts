import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { localEndpoints } from "../../../functions/local/runtime/endpoints-file.js";

const REPO_ROOT = resolve(__dirname, "../../..");

async function waitForEndpoints(path: string, child: ChildProcess, output: () => string) {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`shipline dev exited early:\n${output()}`);
    try {
      const parsed = localEndpoints.safeParse(JSON.parse(await readFile(path, "utf8")));
      if (parsed.success) return parsed.data;
    } catch {
      // not written yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`endpoints.json never appeared:\n${output()}`);
}

function childPids(pid: number): Promise<number[]> {
  return new Promise((done) => {
    const ps = spawn("ps", ["-o", "pid=", "--ppid", String(pid)]);
    let text = "";
    ps.stdout.on("data", (chunk) => {
      text += String(chunk);
    });
    ps.on("close", () => done(text.split(/\s+/).filter(Boolean).map(Number)));
  });
}

describe("shipline dev", () => {
  let dataDir: string | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("starts every local service, records their URLs, and stops cleanly on SIGTERM", async () => {
    // Arrange
    dataDir = await mkdtemp(join(tmpdir(), "shipline-dev-"));
    let output = "";
    child = spawn(process.execPath, ["bin/shipline.mjs", "dev", "--data-dir", dataDir], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });

    // Act
    const endpoints = await waitForEndpoints(join(dataDir, "endpoints.json"), child, () => output);
    const registry = await fetch(`${endpoints.registry}/v2/`);
    const discovery = await fetch(`${endpoints.oidc}/.well-known/openid-configuration`);
    const webhook = await fetch(endpoints.webhook, { method: "POST", body: "{}" });
    const bus = await fetch(endpoints.bus, {
      method: "POST",
      headers: { "x-amz-target": "AWSEvents.PutEvents", "content-type": "application/x-amz-json-1.1" },
      body: JSON.stringify({ Entries: [{ Source: "demo.test", DetailType: "Ping", Detail: "{}" }] }),
    });
    const exited = new Promise<number | null>((done) => child?.once("exit", (code) => done(code)));
    child.kill("SIGTERM");
    const code = await exited;

    // Assert
    expect(output).toContain("Shipline local platform is running.");
    expect(registry.status).toBe(200);
    expect(discovery.status).toBe(200);
    expect(webhook.status).toBe(401);
    expect(await bus.json()).toMatchObject({ FailedEntryCount: 0 });
    expect(code).toBe(0);
    expect(await childPids(child.pid ?? 0)).toEqual([]);
    expect(JSON.parse(await readFile(join(dataDir, "endpoints.json"), "utf8"))).toEqual({});
  });

  it("refuses an unknown flag with exit code 2 and the usage line", async () => {
    // Arrange
    let stderr = "";
    child = spawn(process.execPath, ["bin/shipline.mjs", "dev", "--nope"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk);
    });

    // Act
    const code = await new Promise<number | null>((done) =>
      child?.once("exit", (exitCode) => done(exitCode)),
    );

    // Assert
    expect(code).toBe(2);
    expect(stderr).toContain("usage: shipline dev");
  });
});
