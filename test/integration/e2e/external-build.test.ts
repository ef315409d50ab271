import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REVISION_LABEL } from "../../../functions/core/images/image-labels.js";
import { systemClock } from "../../../functions/core/ports/clock.js";
import { buildImage } from "../../../functions/local/builder/build-image.js";
import { BuildLog } from "../../../functions/local/builder/build-log.js";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { pushAsDeveloper } from "../../../functions/local/demo/seed-demo.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, startE2ePlatform } from "./e2e-kit.js";

/** The demo app built by its own CI; only images of main at versions 1.x enter the chain. */
const EXTERNAL = { build: "external", accept: { branches: ["main"], semver: ">=1.0.0 <2" } };

/**
 * What an external CI does: checks out the commit's files, builds the image from the Dockerfile
 * (the local builder's packer, as a CI's docker or buildah would), labels it with the commit and
 * pushes it to the registry under `<version>-<sha7>`. Answers the digest.
 */
async function buildAndPushAsCi(run: E2ePlatform, commit: string, version: string): Promise<string> {
  const workDir = await mkdtemp(join(tmpdir(), "shipline-ci-"));
  try {
    for (const [file, content] of Object.entries(DEMO_APP_FILES)) {
      await mkdir(dirname(join(workDir, "src", file)), { recursive: true });
      await writeFile(join(workDir, "src", file), content);
    }
    const image = await buildImage({
      sourceDir: join(workDir, "src"),
      dockerfile: "Dockerfile",
      context: ".",
      repositoryUri: `${run.platform.registry.host}/demo`,
      tag: `${version}-${commit.slice(0, 7)}`,
      labels: { [REVISION_LABEL]: commit },
      log: new BuildLog(join(workDir, "ci.log"), systemClock),
      env: { PATH: process.env.PATH ?? "" },
      mode: "pack",
      buildahUsable: async () => false,
    });
    return await image.push();
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

describe("an app built by its own CI (build: external), end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "builds nothing itself, takes the CI's image of main to production, and refuses one of a feature branch with the reason, deploying nothing",
    async () => {
      // Arrange
      run = await startE2ePlatform({ app: EXTERNAL });
      const platform = run.platform;
      const onMain = await run.push(DEMO_APP_FILES, "demo: first version");
      const onFeature = await pushAsDeveloper({
        platform,
        repository: run.appRepository,
        branch: "feature/try",
        files: { ...DEMO_APP_FILES, "NOTES.txt": "an experiment\n" },
        message: "demo: an experiment",
      });
      await run.settle();

      // Act
      await buildAndPushAsCi(run, onMain, "1.0.0");
      const verified = await run.waitFor(
        "production verified",
        (event) =>
          event.type === "Deployment Verified" &&
          event.detail.commit === onMain &&
          event.detail.environment === "production",
      );
      const featureDigest = await buildAndPushAsCi(run, onFeature, "1.0.1");
      const refused = await run.waitFor(
        "Image Refused",
        (event) => event.type === "Image Refused" && event.detail.commit === onFeature,
      );
      await run.settle();

      // Assert
      expect(run.events().filter((event) => event.type === "Build Started")).toEqual([]);
      expect(verified.detail.environment).toBe("production");
      expect(run.eventsOf("Image Pushed", onMain).map((event) => event.detail.tag)).toEqual([
        `1.0.0-${onMain.slice(0, 7)}`,
      ]);
      expect(refused.detail.digest).toBe(featureDigest);
      expect(refused.envelope.detail).toMatchObject({ rule: "branches" });
      expect(refused.detail.reason).toContain(
        `commit ${onFeature.slice(0, 7)} is on branch feature/try only, which accept.branches (main) does not allow`,
      );
      for (const type of ["Image Pushed", "Image Approved", "Config Committed", "Sync Requested"]) {
        expect(run.eventsOf(type, onFeature)).toEqual([]);
      }
      expect(await run.configFile("envs/production/kustomization.yaml")).toContain(
        `newTag: "1.0.0-${onMain.slice(0, 7)}"`,
      );
      const trace = await run.cli(["trace", onFeature, "--app", "demo"]);
      expect(trace.code).not.toBe(0);
      expect(`${trace.stdout}${trace.stderr}`, JSON.stringify(trace)).toContain("Image Refused");
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
