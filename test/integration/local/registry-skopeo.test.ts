import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { EcrImageActionEvent } from "../../../functions/core/contracts/aws/ecr-image-action.js";
import { type LocalRegistry, startLocalRegistry } from "../../../functions/local/registry/index.js";
import { commandRuns, describeWithTool, optionalTool } from "./optional-tool.js";
import { buildTestImage, descriptorOf, type TestImage } from "./registry-test-image.js";

const run = promisify(execFile);
const SKOPEO = optionalTool({
  name: "skopeo",
  neededFor: "a real OCI client pushing to and pulling from the embedded registry",
  install: "apt-get install -y --no-install-recommends skopeo",
  installed: commandRuns("skopeo"),
});

/** Writes an image as an OCI image layout directory, tagged `tag`. */
async function writeOciLayout(directory: string, image: TestImage, tag: string): Promise<void> {
  await mkdir(path.join(directory, "blobs", "sha256"), { recursive: true });
  for (const blob of [image.layer, image.config, image.manifest]) {
    await writeFile(
      path.join(directory, "blobs", "sha256", blob.digest.slice("sha256:".length)),
      blob.content,
    );
  }
  await writeFile(path.join(directory, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const index = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [
      { ...descriptorOf(image.manifest), annotations: { "org.opencontainers.image.ref.name": tag } },
    ],
  };
  await writeFile(path.join(directory, "index.json"), JSON.stringify(index));
}

describeWithTool(SKOPEO, "local registry with skopeo as the client", () => {
  let workDir: string;
  let registry: LocalRegistry;
  const events: EcrImageActionEvent[] = [];
  let env: NodeJS.ProcessEnv;

  const skopeo = async (...args: string[]) => {
    const { stdout } = await run("skopeo", ["--insecure-policy", ...args], { env, timeout: 60_000 });
    return stdout;
  };

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), "shipline-skopeo-"));
    registry = await startLocalRegistry({
      dataDir: path.join(workDir, "registry"),
      immutableTags: true,
      onImagePushed: (event) => {
        events.push(event);
      },
    });
    // Keep skopeo away from the user's credentials and configuration.
    const authFile = path.join(workDir, "auth.json");
    await writeFile(authFile, JSON.stringify({ auths: {} }));
    env = { PATH: process.env.PATH, HOME: workDir, REGISTRY_AUTH_FILE: authFile, XDG_RUNTIME_DIR: workDir };
  });

  afterAll(async () => {
    await registry?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it("pushes an OCI layout image, inspects it, and pulls it back with the same digests", async () => {
    // Arrange
    const image = buildTestImage({ "app/index.html": "<h1>demo</h1>\n" }, "c".repeat(40));
    const source = path.join(workDir, "source");
    const pulled = path.join(workDir, "pulled");
    await writeOciLayout(source, image, "1.0");
    const reference = `docker://${registry.host}/demo/app:1.0`;

    // Act
    await skopeo("copy", "--dest-tls-verify=false", `oci:${source}:1.0`, reference);
    const inspected = JSON.parse(await skopeo("inspect", "--tls-verify=false", reference));
    const tags = JSON.parse(
      await skopeo("list-tags", "--tls-verify=false", `docker://${registry.host}/demo/app`),
    );
    await skopeo("copy", "--src-tls-verify=false", reference, `oci:${pulled}:1.0`);
    const pulledIndex = JSON.parse(await readFile(path.join(pulled, "index.json"), "utf8"));

    // Assert
    expect(inspected.Digest).toBe(image.manifest.digest);
    expect(inspected.Labels["org.opencontainers.image.revision"]).toBe("c".repeat(40));
    expect(inspected.Layers).toEqual([image.layer.digest]);
    expect(tags.Tags).toEqual(["1.0"]);
    expect(pulledIndex.manifests[0].digest).toBe(image.manifest.digest);
    const pulledLayer = await readFile(path.join(pulled, "blobs", "sha256", image.layer.digest.slice(7)));
    expect(pulledLayer.equals(image.layer.content)).toBe(true);
    expect(events.map((event) => event.detail)).toContainEqual({
      result: "SUCCESS",
      "action-type": "PUSH",
      "repository-name": "demo/app",
      "image-digest": image.manifest.digest,
      "image-tag": "1.0",
    });
  });

  it("copies an image between repositories of the registry and refuses to overwrite an immutable tag", async () => {
    // Arrange
    const base = buildTestImage({ "app/index.html": "<h1>base</h1>\n" }, "d".repeat(40));
    const other = buildTestImage({ "app/index.html": "<h1>other</h1>\n" }, "e".repeat(40));
    await writeOciLayout(path.join(workDir, "base"), base, "1.0");
    await writeOciLayout(path.join(workDir, "other"), other, "1.0");
    const baseReference = `docker://${registry.host}/team/base:1.0`;
    await skopeo("copy", "--dest-tls-verify=false", `oci:${path.join(workDir, "base")}:1.0`, baseReference);

    // Act
    await skopeo(
      "copy",
      "--src-tls-verify=false",
      "--dest-tls-verify=false",
      baseReference,
      `docker://${registry.host}/team/copy:1.0`,
    );
    const overwrite = await skopeo(
      "copy",
      "--dest-tls-verify=false",
      `oci:${path.join(workDir, "other")}:1.0`,
      baseReference,
    ).then(
      () => "accepted",
      (error: Error) => error.message,
    );

    // Assert
    expect((await registry.getManifest("team/copy", "1.0"))?.digest).toBe(base.manifest.digest);
    expect((await registry.getManifest("team/base", "1.0"))?.digest).toBe(base.manifest.digest);
    expect(overwrite).toContain("cannot be overwritten");
  });
});
