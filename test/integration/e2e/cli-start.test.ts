import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { E2E_TEST_TIMEOUT_MS, REPO_ROOT, writeFastConfig } from "./e2e-kit.js";

describe("shipline start --once", () => {
  let dir: string | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (dir) await rm(dir, { recursive: true, force: true });
    child = undefined;
    dir = undefined;
  });

  it(
    "pushes the demo app, follows it to production and exits 0 once it is verified there",
    async () => {
      // Arrange
      dir = await mkdtemp(join(tmpdir(), "shipline-e2e-cli-"));
      const config = await writeFastConfig(dir);
      let output = "";

      // Act
      child = spawn(
        process.execPath,
        [
          "bin/shipline.mjs",
          "start",
          "--once",
          "--data-dir",
          join(dir, "data"),
          "--config",
          config,
          "--timeout",
          "5m",
        ],
        { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
      );
      child.stdout?.on("data", (chunk) => {
        output += String(chunk);
      });
      child.stderr?.on("data", (chunk) => {
        output += String(chunk);
      });
      const running = child;
      const code = await new Promise<number | string | null>((done) => {
        const timer = setTimeout(() => {
          running.kill("SIGKILL");
          done("still running after 300s");
        }, 300_000);
        running.once("exit", (exitCode) => {
          clearTimeout(timer);
          done(exitCode);
        });
      });

      // Assert
      expect(code, output).toBe(0);
      expect(output).toContain("✓ production runs the pushed commit, verified healthy.");
      expect(output).toMatch(/Deployment Verified .* production: demo-production Synced, Healthy/);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
