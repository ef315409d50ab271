import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { REVISION_LABEL } from "../../../functions/core/images/image-labels.js";
import { systemClock } from "../../../functions/core/ports/clock.js";
import { buildImage } from "../../../functions/local/builder/build-image.js";
import { BuildLog } from "../../../functions/local/builder/build-log.js";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, startE2ePlatform } from "./e2e-kit.js";

/**
 * The steps of `examples/ci` (Jenkins, GitHub Actions, Azure Pipelines): check out the commit, build
 * the image from its Dockerfile with the revision label (the local builder's packer, as the CI's
 * docker or buildah would), push it under the app's tag, and announce it. Answers the reference
 * and the digest pushed.
 */
async function buildAndPush(run: E2ePlatform, commit: string): Promise<{ image: string; digest: string }> {
  const workDir = await mkdtemp(join(tmpdir(), "shipline-ci-"));
  try {
    for (const [file, content] of Object.entries(DEMO_APP_FILES)) {
      await mkdir(dirname(join(workDir, "src", file)), { recursive: true });
      await writeFile(join(workDir, "src", file), content);
    }
    const repository = `${run.platform.registry.host}/demo`;
    const tag = `1.0.0-${commit.slice(0, 7)}`;
    const built = await buildImage({
      sourceDir: join(workDir, "src"),
      dockerfile: "Dockerfile",
      context: ".",
      repositoryUri: repository,
      tag,
      labels: { [REVISION_LABEL]: commit },
      log: new BuildLog(join(workDir, "ci.log"), systemClock),
      env: { PATH: process.env.PATH ?? "" },
      mode: "pack",
      buildahUsable: async () => false,
    });
    return { image: `${repository}:${tag}`, digest: await built.push() };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

const ANNOUNCE_SCRIPT = resolve(import.meta.dirname, "../../../examples/ci/shipline-announce.sh");

/** Whether the announce script of the examples can run here: bash and curl (CI installs curl). */
async function announceScriptRuns(): Promise<boolean> {
  try {
    await promisify(execFile)("bash", ["-c", "command -v curl"]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Announces as the examples' last step does: `examples/ci/shipline-announce.sh` with the webhook URL
 * and publish secret in the environment. Where curl is missing (never under CI=true), `shipline
 * publish` makes the same call, and the test says so.
 */
async function announceAsExamples(
  run: E2ePlatform,
  image: string,
  digest: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!(await announceScriptRuns())) {
    if (process.env.CI === "true") throw new Error("curl is required under CI=true");
    console.warn("examples/ci/shipline-announce.sh did not run (no curl); announced with shipline publish");
    return run.cli(["publish", image, "--digest", digest], { config: false });
  }
  return new Promise((done) => {
    execFile(
      "bash",
      [ANNOUNCE_SCRIPT, image, digest],
      {
        env: {
          PATH: process.env.PATH ?? "",
          SHIPLINE_WEBHOOK_URL: run.platform.endpoints.webhook,
          SHIPLINE_PUBLISH_SECRET: run.platform.publishSecret ?? "",
          SHIPLINE_DELIVERY: "e2e-ci-1",
        },
      },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("an image a CI pushed to a registry of kind oci and announced as examples/ci do, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "announces nothing on the push itself, takes the published image to production, and answers bad announcements with the reason",
    async () => {
      // Arrange
      run = await startE2ePlatform({ app: { build: "external" }, ociRegistry: true });
      const commit = await run.push(DEMO_APP_FILES, "demo: first version");
      const { image, digest } = await buildAndPush(run, commit);
      await run.settle();
      const beforeAnnouncement = run.eventsOf("Image Pushed", commit);
      const host = run.platform.registry.host;

      // Act
      const missingTag = await run.cli(["publish", `${host}/demo:no-such-tag`], { config: false });
      const otherDigest = await run.cli(["publish", image, "--digest", `sha256:${"0".repeat(64)}`], {
        config: false,
      });
      const otherRepository = await run.cli(["publish", `${host}/other:1.0.0`], { config: false });
      const published = await announceAsExamples(run, image, digest);
      const verified = await run.waitFor(
        "production verified",
        (event) =>
          event.type === "Deployment Verified" &&
          event.detail.commit === commit &&
          event.detail.environment === "production",
      );
      await run.settle();

      // Assert
      expect(beforeAnnouncement).toEqual([]);
      expect(missingTag.code).toBe(2);
      expect(missingTag.stderr).toContain("The webhook answered 404");
      expect(missingTag.stderr).toContain("has no tag no-such-tag; push it before announcing it");
      expect(otherDigest.code).toBe(2);
      expect(otherDigest.stderr).toContain("The webhook answered 409");
      expect(otherDigest.stderr).toContain(`points at ${digest}`);
      expect(otherRepository.code).toBe(2);
      expect(otherRepository.stderr).toContain(`no app's image.repository is ${host}/other`);
      expect(published.code, published.stderr).toBe(0);
      expect(published.stdout).toContain(digest);
      expect(run.events().filter((event) => event.type === "Build Started")).toEqual([]);
      expect(run.eventsOf("Image Pushed", commit).map((event) => event.detail.digest)).toEqual([digest]);
      expect(verified.detail.environment).toBe("production");
      expect(await run.configFile("envs/production/kustomization.yaml")).toContain(
        `newTag: "1.0.0-${commit.slice(0, 7)}"`,
      );
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
