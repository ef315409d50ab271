import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalImageRegistry } from "../../../../functions/adapters/local/local-image-registry.js";
import {
  type LocalRegistry,
  startLocalRegistry,
} from "../../../../functions/local/registry/local-registry.js";
import {
  buildTestImage,
  descriptorOf,
  pushImage,
  pushManifest,
  sha256,
} from "../../../integration/local/registry-test-image.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

let running: { registry: LocalRegistry; dir: string } | undefined;

afterEach(async () => {
  if (!running) return;
  await running.registry.close();
  await rm(running.dir, { recursive: true, force: true });
  running = undefined;
});

async function start(times: string[]): Promise<LocalRegistry> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-local-image-registry-"));
  const clock = { now: () => new Date(times.shift() ?? "2026-03-01T13:00:00Z") };
  const registry = await startLocalRegistry({ dataDir: dir, clock });
  running = { registry, dir };
  return registry;
}

describe("LocalImageRegistry", () => {
  it("reads the revision label from the config of a pushed image", async () => {
    // Arrange
    const registry = await start([]);
    const image = buildTestImage({ "app.txt": "v1\n" }, SHA);
    await pushImage(registry.url, "demo", image, "v1");

    // Act
    const labels = await new LocalImageRegistry(registry).getImageLabels("demo", image.manifest.digest);

    // Assert
    expect(labels).toEqual({ "org.opencontainers.image.revision": SHA });
  });

  it("follows an index to its platform image", async () => {
    // Arrange
    const registry = await start([]);
    const image = buildTestImage({ "app.txt": "v1\n" }, SHA);
    await pushImage(registry.url, "demo", image, image.manifest.digest);
    const indexContent = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [{ ...descriptorOf(image.manifest), platform: { os: "linux", architecture: "amd64" } }],
      }),
    );
    const index = {
      content: indexContent,
      digest: sha256(indexContent),
      mediaType: "application/vnd.oci.image.index.v1+json",
    };
    expect((await pushManifest(registry.url, "demo", index, "multi")).status).toBe(201);

    // Act
    const labels = await new LocalImageRegistry(registry).getImageLabels("demo", index.digest);

    // Assert
    expect(labels?.["org.opencontainers.image.revision"]).toBe(SHA);
  });

  it("answers undefined for an image the registry does not have", async () => {
    // Arrange
    const registry = await start([]);

    // Act & Assert
    expect(
      await new LocalImageRegistry(registry).getImageLabels("demo", `sha256:${"0".repeat(64)}`),
    ).toBeUndefined();
  });

  it("lists the images pushed since a time, with their tags, oldest first", async () => {
    // Arrange
    const registry = await start(["2026-03-01T11:00:00Z", "2026-03-01T12:00:00Z"]);
    const old = buildTestImage({ "a.txt": "old\n" }, SHA);
    const recent = buildTestImage({ "a.txt": "new\n" }, SHA);
    await pushImage(registry.url, "demo", old, "old");
    await pushImage(registry.url, "demo", recent, "new");

    // Act
    const images = await new LocalImageRegistry(registry).listImagesSince(
      "demo",
      new Date("2026-03-01T11:30:00Z"),
    );
    const all = await new LocalImageRegistry(registry).listImagesSince("demo", undefined);

    // Assert
    expect(images).toEqual([
      {
        repository: "demo",
        digest: recent.manifest.digest,
        tags: ["new"],
        pushedAt: new Date("2026-03-01T12:00:00Z"),
      },
    ]);
    expect(all.map((image) => image.tags)).toEqual([["old"], ["new"]]);
  });
});
