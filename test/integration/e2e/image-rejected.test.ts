import { afterEach, describe, expect, it } from "vitest";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, startE2ePlatform } from "./e2e-kit.js";

/** A finding at CRITICAL that the example scan policy does not allow. */
const BLOCKING_CVE = "CVE-2024-6387";

describe("a push whose image has a blocking vulnerability, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "rejects the image naming the vulnerability and deploys nothing: no config commit and no sync",
    async () => {
      // Arrange
      run = await startE2ePlatform();
      const findings = JSON.stringify([
        { id: BLOCKING_CVE, severity: "CRITICAL", package: "openssh", installedVersion: "9.6p1" },
      ]);
      const dockerfile = (DEMO_APP_FILES.Dockerfile ?? "").replace(
        "USER node\n",
        `USER node\nLABEL dev.shipline.scan.findings='${findings}'\n`,
      );
      expect(dockerfile).toContain(BLOCKING_CVE);

      // Act
      const commit = await run.push({ ...DEMO_APP_FILES, Dockerfile: dockerfile }, "demo: first version");
      const rejected = await run.waitFor(
        "Image Rejected",
        (event) => event.type === "Image Rejected" && event.detail.commit === commit,
      );
      await run.chain.idle();

      // Assert
      expect(rejected.detail.blocking?.map((finding) => finding.id)).toEqual([BLOCKING_CVE]);
      expect(rejected.detail.reason).toContain(BLOCKING_CVE);
      expect(run.eventsOf("Image Pushed", commit)).toHaveLength(1);
      expect(run.eventsOf("Image Approved", commit)).toEqual([]);
      expect(run.eventsOf("Config Committed", commit)).toEqual([]);
      expect(run.eventsOf("Sync Requested", commit)).toEqual([]);
      expect(await run.configFile("envs/staging/values.yaml")).toContain('tag: "bootstrap"');
      expect(await run.configFile("envs/production/kustomization.yaml")).toContain('newTag: "bootstrap"');
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
