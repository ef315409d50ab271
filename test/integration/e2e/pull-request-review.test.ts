import { afterEach, describe, expect, it } from "vitest";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, startE2ePlatform } from "./e2e-kit.js";

const CONFIG_REPOSITORY = "demo-config";
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
      const number = Number(
        opened.envelope.detail && (opened.envelope.detail as { number?: unknown }).number,
      );
      const { sha } = await run.platform.git.mergePullRequest(CONFIG_REPOSITORY, number, {
        mergedBy: "reviewer",
      });
      const verified = await run.waitFor(
        "Deployment Verified in production",
        (event) =>
          event.type === "Deployment Verified" &&
          event.detail.commit === commit &&
          event.detail.environment === "production",
      );

      // Assert
      const tag = `1.0.0-${commit.slice(0, 7)}`;
      expect(waiting).toBe(before);
      expect(run.eventsOf("Config Committed", commit).map((event) => event.detail.environment)).toEqual([
        "staging",
        "production",
      ]);
      const merged = run
        .eventsOf("Config Committed", commit)
        .find((event) => event.detail.environment === "production");
      expect(merged?.detail.configCommit).toBe(sha);
      expect(verified.detail.revision).toBe(sha);
      expect(await run.configFile(PRODUCTION_FILE)).toContain(`newTag: "${tag}"`);
      const pulls = await run.platform.git.listPullRequests(CONFIG_REPOSITORY);
      expect(pulls.map((pull) => [pull.number, pull.state, pull.mergeCommitSha])).toEqual([
        [number, "closed", sha],
      ]);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
