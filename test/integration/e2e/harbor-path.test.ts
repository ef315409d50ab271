import { afterEach, describe, expect, it } from "vitest";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, HARBOR_REPOSITORY, startE2ePlatform } from "./e2e-kit.js";

describe("a push through the Harbor path on the local runtime, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "announces the image from Harbor's PUSH_ARTIFACT, judges it from Harbor's SCANNING_COMPLETED and vulnerability report, and deploys it to production",
    async () => {
      // Arrange
      run = await startE2ePlatform({ harbor: true });

      // Act
      const commit = await run.push(DEMO_APP_FILES, "demo: first version");
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
      const sources = new Set(events.map((event) => `${event.envelope.source} ${event.type}`));
      expect(sources).toContain("shipline.harbor Harbor Artifact Pushed");
      expect(sources).toContain("shipline.harbor Harbor Scan Completed");
      expect(sources).not.toContain("aws.ecr ECR Image Action");
      expect(sources).not.toContain("aws.ecr ECR Image Scan");
      const [pushed] = run.eventsOf("Image Pushed", commit);
      expect(pushed?.envelope.detail).toMatchObject({ repository: HARBOR_REPOSITORY, tag, via: "event" });
      const [approved] = run.eventsOf("Image Approved", commit);
      expect(approved?.envelope.detail).toMatchObject({ scanner: "harbor" });
      expect(production.detail.revision).toBe(
        run.eventsOf("Config Committed", commit)[1]?.detail.configCommit,
      );
      expect(await run.configFile("envs/production/kustomization.yaml")).toContain(`newTag: "${tag}"`);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
