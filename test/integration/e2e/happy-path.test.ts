import { afterEach, describe, expect, it } from "vitest";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, startE2ePlatform } from "./e2e-kit.js";

describe("a push on the local runtime, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "builds the pushed commit, deploys it to staging, promotes it to production and records its tag in the config repository",
    async () => {
      // Arrange
      run = await startE2ePlatform();

      // Act
      const commit = await run.push(DEMO_APP_FILES, "demo: first version");
      const staging = await run.waitFor(
        "Deployment Verified in staging",
        (event) =>
          event.type === "Deployment Verified" &&
          event.detail.commit === commit &&
          event.detail.environment === "staging",
      );
      const production = await run.waitFor(
        "Deployment Verified in production",
        (event) =>
          event.type === "Deployment Verified" &&
          event.detail.commit === commit &&
          event.detail.environment === "production",
      );

      // Assert
      const tag = `1.0.0-${commit.slice(0, 7)}`;
      const events = run.events();
      expect(events.indexOf(staging)).toBeLessThan(events.indexOf(production));
      const committed = run.eventsOf("Config Committed", commit);
      expect(
        committed.map((event) => [event.detail.environment, event.detail.tag, event.detail.kind]),
      ).toEqual([
        ["staging", tag, "update"],
        ["production", tag, "update"],
      ]);
      expect(staging.detail.revision).toBe(committed[0]?.detail.configCommit);
      expect(production.detail.revision).toBe(committed[1]?.detail.configCommit);
      expect(await run.configFile("envs/staging/values.yaml")).toContain(`tag: "${tag}"`);
      expect(await run.configFile("envs/production/kustomization.yaml")).toContain(`newTag: "${tag}"`);
      const serving = run.chain.argocd.get("local")?.serving("demo-production");
      expect(serving?.reference).toMatch(new RegExp(`(^|/)demo:${tag}$`));
      const health = await fetch(`http://127.0.0.1:${serving?.port}/health`);
      expect(health.status).toBe(200);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
