import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../../functions/local/cli/main.js";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, startE2ePlatform } from "./e2e-kit.js";

const CONFIG_REPOSITORY = "demo-config";

/** Runs the `shipline` CLI against the test's runtime; answers its exit code and output. */
async function shipline(run: E2ePlatform, args: readonly string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const flags = ["--data-dir", join(run.dir, "data"), "--config", join(run.dir, "shipline.config.yaml")];
  const code = await main([...args, ...flags], {
    stdout: sink,
    stderr: sink,
    env: process.env,
    cwd: run.dir,
    signal: new AbortController().signal,
  });
  return { code, out };
}
const PRODUCTION_FILE = "envs/production/kustomization.yaml";

describe("an environment that asks for review, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "waits in a pull request until it is merged, then deploys and verifies the merged commit",
    async () => {
      // Arrange
      run = await startE2ePlatform({ reviewIn: ["production"] });
      const before = await run.configFile(PRODUCTION_FILE);

      // Act: the push goes to staging by a commit and to production through a pull request
      const commit = await run.push(DEMO_APP_FILES, "demo: reviewed version");
      const opened = await run.waitFor(
        "Pull Request Opened in production",
        (event) =>
          event.type === "Pull Request Opened" &&
          event.detail.commit === commit &&
          event.detail.environment === "production",
      );
      await run.settle();
      const waiting = await run.configFile(PRODUCTION_FILE);
      const number = opened.detail.number ?? 0;
      const listed = await shipline(run, ["pulls"]);
      const merged = await shipline(run, ["merge", "demo", "production"]);
      const again = await shipline(run, ["merge", "demo", "production"]);
      const verified = await run.waitFor(
        "Deployment Verified in production",
        (event) =>
          event.type === "Deployment Verified" &&
          event.detail.commit === commit &&
          event.detail.environment === "production",
      );

      // Assert
      const tag = `1.0.0-${commit.slice(0, 7)}`;
      const pulls = await run.platform.git.listPullRequests(CONFIG_REPOSITORY);
      const sha = pulls[0]?.mergeCommitSha ?? "";
      expect(pulls.map((pull) => [pull.number, pull.state])).toEqual([[number, "closed"]]);
      expect(waiting).toBe(before);
      expect(listed).toEqual({ code: 0, out: expect.stringContaining(`#${number}  open`) });
      expect(merged).toEqual({ code: 0, out: expect.stringContaining(`as ${sha.slice(0, 7)}: deploying`) });
      expect(again).toEqual({
        code: 3,
        out: expect.stringContaining("no open pull request of demo in production"),
      });
      const committed = run.eventsOf("Config Committed", commit);
      expect(committed.map((event) => event.detail.environment)).toEqual(["staging", "production"]);
      expect(committed[1]?.detail.configCommit).toBe(sha);
      expect(verified.detail.revision).toBe(sha);
      expect(await run.configFile(PRODUCTION_FILE)).toContain(`newTag: "${tag}"`);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
