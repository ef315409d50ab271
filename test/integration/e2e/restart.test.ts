import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { E2E_TEST_TIMEOUT_MS, REPO_ROOT, writeFastConfig } from "./e2e-kit.js";

const archived = z.object({
  event: z.object({
    id: z.string(),
    "detail-type": z.string(),
    detail: z.looseObject({
      commit: z.string().nullish(),
      environment: z.string().optional(),
      kind: z.string().optional(),
    }),
  }),
});

type Archived = z.infer<typeof archived>["event"];

describe("shipline start, killed and started again", () => {
  let dir: string | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (dir) await rm(dir, { recursive: true, force: true });
    child = undefined;
    dir = undefined;
  });

  it(
    "takes the first commit to production though the runtime is killed during the build, after a config commit and during the soak time",
    async () => {
      // Arrange
      const root = await mkdtemp(join(tmpdir(), "shipline-e2e-restart-"));
      dir = root;
      const config = await writeFastConfig(root);
      const archive = join(root, "data", "bus", "archive.jsonl");
      const events = async (): Promise<Archived[]> => {
        const text = await readFile(archive, "utf8").catch(() => "");
        return text
          .split("\n")
          .filter((line) => line.trim() !== "")
          .flatMap((line) => {
            const parsed = archived.safeParse(JSON.parse(line));
            return parsed.success ? [parsed.data.event] : [];
          });
      };
      const start = () => {
        child = spawn(
          process.execPath,
          ["bin/shipline.mjs", "start", "--data-dir", join(root, "data"), "--config", config],
          { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "ignore"] },
        );
        return child;
      };
      const until = async (what: string, match: (event: Archived) => boolean): Promise<Archived> => {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const found = (await events()).find(match);
          if (found !== undefined) return found;
          if (Date.now() > deadline) throw new Error(`waited 120s for ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      const kill = async (running: ChildProcess) => {
        running.kill("SIGKILL");
        if (running.exitCode === null && running.signalCode === null) {
          await new Promise((resolve) => running.once("exit", resolve));
        }
      };

      // Act: killed as soon as the build started, ...
      const buildStarted = (event: Archived) => event["detail-type"] === "Build Started";
      await kill(await untilStarted(start(), () => until("Build Started", buildStarted)));
      const commit = (await until("Build Started", buildStarted)).detail.commit;
      const committed = (environment: string) => (event: Archived) =>
        event["detail-type"] === "Config Committed" &&
        event.detail.commit === commit &&
        event.detail.environment === environment;
      const verified = (environment: string) => (event: Archived) =>
        event["detail-type"] === "Deployment Verified" &&
        event.detail.commit === commit &&
        event.detail.environment === environment;
      // ... right after the staging config commit, ...
      await kill(await untilStarted(start(), () => until("staging committed", committed("staging"))));
      // ... and while production's soak time runs.
      await kill(await untilStarted(start(), () => until("staging verified", verified("staging"))));
      const last = start();
      await until("production verified", verified("production"));
      last.kill("SIGTERM");
      await new Promise((resolve) => last.once("exit", resolve));

      // Assert
      const all = (await events()).filter((event) => event.detail.commit === commit);
      const count = (type: string, environment?: string) =>
        all.filter(
          (event) =>
            event["detail-type"] === type &&
            (environment === undefined || event.detail.environment === environment),
        ).length;
      expect(count("Build Succeeded")).toBe(1);
      expect(count("Build Failed")).toBe(0);
      expect(count("Config Committed", "staging")).toBe(1);
      expect(count("Config Committed", "production")).toBe(1);
      expect(count("Deployment Failed")).toBe(0);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});

/** Waits for `ready` while the runtime runs; answers the runtime, still running, to be killed. */
async function untilStarted(running: ChildProcess, ready: () => Promise<unknown>): Promise<ChildProcess> {
  await ready();
  return running;
}
