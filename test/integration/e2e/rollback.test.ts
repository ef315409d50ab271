import { afterEach, describe, expect, it } from "vitest";
import { LedgerReader } from "../../../functions/core/ledger/ledger-reader.js";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { TimelineData } from "../../../functions/local/timeline/timeline-data.js";
import {
  brokenHealthFiles,
  E2E_TEST_TIMEOUT_MS,
  type E2ePlatform,
  greetingFiles,
  type SeenEvent,
  startE2ePlatform,
} from "./e2e-kit.js";

describe("a push that breaks /health, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "fails in staging, reverts the config commit, holds the image and serves the previous version again, leaving production untouched",
    async () => {
      // Arrange
      run = await startE2ePlatform();
      const good = await run.push(DEMO_APP_FILES, "demo: first version");
      const verifiedIn = (commit: string, environment: string) => (event: SeenEvent) =>
        event.type === "Deployment Verified" &&
        event.detail.commit === commit &&
        event.detail.environment === environment;
      await run.waitFor("the first version verified in production", verifiedIn(good, "production"));
      const goodTag = `1.0.0-${good.slice(0, 7)}`;

      // Act
      const bad = await run.push(brokenHealthFiles(), "demo: report unhealthy");
      const failed = await run.waitFor(
        "Deployment Failed in staging",
        (event) =>
          event.type === "Deployment Failed" &&
          event.detail.commit === bad &&
          event.detail.environment === "staging",
      );
      const rollback = await run.waitFor(
        "Rollback Committed in staging",
        (event) =>
          event.type === "Rollback Committed" &&
          event.detail.commit === bad &&
          event.detail.environment === "staging",
      );
      const reverted = await run.waitFor(
        "the revert verified in staging",
        (event) => verifiedIn(bad, "staging")(event) && event.detail.kind === "revert",
      );
      await run.chain.idle();

      // Assert
      const badTag = `1.0.0-${bad.slice(0, 7)}`;
      const staged = run
        .eventsOf("Config Committed", bad)
        .filter((event) => event.detail.environment === "staging");
      expect(staged.map((event) => [event.detail.kind, event.detail.tag])).toEqual([
        ["update", badTag],
        ["revert", goodTag],
      ]);
      expect(staged[1]?.detail.replaced).toEqual({ tag: badTag, digest: staged[0]?.detail.digest });
      expect(rollback.detail.restored?.tag).toBe(goodTag);
      expect(reverted.detail.digest).not.toBe(staged[0]?.detail.digest);
      expect(failed.detail.revision).toBe(staged[0]?.detail.configCommit);
      expect(failed.detail.reason).toContain("Degraded");
      expect(rollback.detail.revertedCommit).toBe(staged[0]?.detail.configCommit);
      expect(rollback.detail.configCommit).toBe(staged[1]?.detail.configCommit);
      expect(reverted.detail.revision).toBe(staged[1]?.detail.configCommit);
      const holds = run.eventsOf("Hold Placed", bad);
      expect(
        holds.map((event) => [event.detail.environment, event.detail.placedBy, event.detail.digest]),
      ).toEqual([["staging", "rollback", staged[0]?.detail.digest]]);
      expect(
        run.eventsOf("Config Committed", bad).filter((event) => event.detail.environment === "production"),
      ).toEqual([]);
      expect(await run.configFile("envs/staging/values.yaml")).toContain(`tag: "${goodTag}"`);
      expect(await run.configFile("envs/production/kustomization.yaml")).toContain(`newTag: "${goodTag}"`);
      const argocd = run.chain.argocd.get("local");
      const staging = argocd?.serving("demo-staging");
      expect(staging?.revision).toBe(reverted.detail.revision);
      expect(staging?.reference).toMatch(new RegExp(`(^|/)demo:${goodTag}$`));
      expect(argocd?.serving("demo-production")?.reference).toMatch(new RegExp(`(^|/)demo:${goodTag}$`));
      const health = await fetch(`http://127.0.0.1:${staging?.port}/health`);
      expect(await health.json()).toEqual({ status: "ok" });
      const trace = await run.cli(["trace", bad.slice(0, 7)]);
      expect(trace.code).toBe(1);
      expect(trace.stdout).toContain(`ROLLED-BACK: Deployment Failed in staging`);
      expect(trace.stdout).toContain(`${goodTag} runs instead`);
      const status = await run.cli(["status", "--app", "demo"]);
      const stagingRow = status.stdout.split("\n").find((line) => /^demo\s+staging\s/.test(line)) ?? "";
      expect(stagingRow).toContain(goodTag);
      expect(stagingRow).toContain("held by rollback");
      expect(stagingRow).toContain(`rolled-back ${bad.slice(0, 7)}`);
      const platform = run.platform;
      const timeline = await new TimelineData({
        events: async () => (await platform.bus.archive.read()).map((record) => record.event),
        ledger: new LedgerReader({ store: platform.store }),
      }).apps();
      expect(timeline[0]?.commits.find((commit) => commit.commit === bad)?.status).toBe("rolled-back");

      // Releasing the hold inside production's soak window lets no failed image through, and the
      // next good commit goes all the way.
      await run.platform.publisher.publish([
        {
          detailType: "Hold Released",
          detail: {
            app: "demo",
            commit: bad,
            correlationId: rollback.detail.correlationId ?? "rollback",
            environment: "staging",
            releasedBy: "tester",
          },
        },
      ]);
      const next = await run.push(greetingFiles("fixed"), "demo: fixed health");
      await run.waitFor("the fixed version verified in production", verifiedIn(next, "production"));
      await run.settle();
      const production = run
        .events()
        .filter((event) => event.type === "Config Committed" && event.detail.environment === "production");
      expect(production.map((event) => event.detail.commit)).toEqual([good, next]);
      expect(
        run.eventsOf("Config Committed", bad).filter((event) => event.detail.environment === "staging"),
      ).toHaveLength(2);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
