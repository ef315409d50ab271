import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EcrImageActionEvent } from "../../../functions/core/contracts/aws/ecr-image-action.js";
import { ecrImageActionEvent } from "../../../functions/core/contracts/aws/ecr-image-action.js";
import { type LocalRegistry, startLocalRegistry } from "../../../functions/local/registry/index.js";
import { readFixture } from "../../read-fixture.js";
import {
  buildTestImage,
  descriptorOf,
  firstError,
  pushImage,
  pushManifest,
  sha256,
} from "./registry-test-image.js";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

describe("local registry manifests", () => {
  let dataDir: string;
  let registry: LocalRegistry;
  let events: EcrImageActionEvent[];
  const clock = { now: () => new Date("2026-03-01T10:00:00.250Z") };

  const start = (immutableTags = false) =>
    startLocalRegistry({
      dataDir,
      immutableTags,
      clock,
      newId: () => `event-${events.length + 1}`,
      onImagePushed: (event) => {
        events.push(event);
      },
    });

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "shipline-registry-"));
    events = [];
    registry = await start();
  });

  afterEach(async () => {
    await registry.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("stores an OCI image by tag and serves it by tag and by digest", async () => {
    // Arrange
    const image = buildTestImage({ "app/hello.txt": "hello" }, "a".repeat(40));

    // Act
    const pushed = await pushImage(registry.url, "demo/app", image, "1.0");
    const byTag = await fetch(`${registry.url}/v2/demo/app/manifests/1.0`, {
      headers: { Accept: OCI_MANIFEST },
    });
    const byDigest = await fetch(`${registry.url}/v2/demo/app/manifests/${image.manifest.digest}`);
    const head = await fetch(`${registry.url}/v2/demo/app/manifests/1.0`, { method: "HEAD" });

    // Assert
    expect(pushed.status).toBe(201);
    expect(pushed.headers.get("docker-content-digest")).toBe(image.manifest.digest);
    expect(pushed.headers.get("location")).toBe(`/v2/demo/app/manifests/${image.manifest.digest}`);
    expect(byTag.headers.get("content-type")).toBe(OCI_MANIFEST);
    expect(Buffer.from(await byTag.arrayBuffer()).equals(image.manifest.content)).toBe(true);
    expect(Buffer.from(await byDigest.arrayBuffer()).equals(image.manifest.content)).toBe(true);
    expect(head.status).toBe(200);
    expect(head.headers.get("docker-content-digest")).toBe(image.manifest.digest);
    expect(head.headers.get("content-length")).toBe(String(image.manifest.content.length));
  });

  it("emits an ECR Image Action event for each manifest push, shaped like ECR's own", async () => {
    // Arrange
    const image = buildTestImage({ "index.html": "v1" }, "b".repeat(40));
    const sample = ecrImageActionEvent.parse(readFixture("aws/ecr-image-action.push.json"));

    // Act
    await pushImage(registry.url, "team/service/api", image, "1.0.0-bbbbbbb");
    await pushManifest(registry.url, "team/service/api", image.manifest, image.manifest.digest);

    // Assert
    expect(events).toHaveLength(2);
    expect(ecrImageActionEvent.parse(events[0])).toEqual(events[0]);
    expect(Object.keys(events[0] ?? {}).sort()).toEqual(Object.keys(sample).sort());
    expect(events[0]).toMatchObject({
      id: "event-1",
      source: "aws.ecr",
      "detail-type": "ECR Image Action",
      account: "000000000000",
      region: "local",
      time: "2026-03-01T10:00:00Z",
      detail: {
        result: "SUCCESS",
        "action-type": "PUSH",
        "repository-name": "team/service/api",
        "image-digest": image.manifest.digest,
        "image-tag": "1.0.0-bbbbbbb",
      },
    });
    expect(events[1]?.detail).not.toHaveProperty("image-tag");
  });

  it("still accepts the push when the event callback fails, and reports the failure", async () => {
    // Arrange
    await registry.close();
    const failures: unknown[] = [];
    registry = await startLocalRegistry({
      dataDir,
      onImagePushed: () => Promise.reject(new Error("bus is down")),
      onError: (error) => failures.push(error),
    });
    const image = buildTestImage({ a: "a" }, "c".repeat(40));

    // Act
    const pushed = await pushImage(registry.url, "demo/app", image, "1.0");

    // Assert
    expect(pushed.status).toBe(201);
    expect(failures).toEqual([new Error("bus is down")]);
  });

  it("refuses a manifest whose blobs were not pushed with MANIFEST_BLOB_UNKNOWN", async () => {
    // Arrange
    const image = buildTestImage({ a: "a" }, "d".repeat(40));

    // Act
    const response = await pushManifest(registry.url, "demo/app", image.manifest, "1.0");

    // Assert
    expect(response.status).toBe(400);
    const error = await firstError(response);
    expect(error.code).toBe("MANIFEST_BLOB_UNKNOWN");
    expect([image.layer.digest, image.config.digest]).toContain(error.detail.digest);
    expect(events).toEqual([]);
  });

  it("refuses a manifest pushed under a digest it does not hash to", async () => {
    // Arrange
    const image = buildTestImage({ a: "a" }, "e".repeat(40));
    await pushImage(registry.url, "demo/app", image, "1.0");

    // Act
    const response = await pushManifest(
      registry.url,
      "demo/app",
      image.manifest,
      sha256(Buffer.from("other")),
    );

    // Assert
    expect(response.status).toBe(400);
    expect((await firstError(response)).code).toBe("DIGEST_INVALID");
  });

  it("refuses a document that is not a valid manifest with MANIFEST_INVALID", async () => {
    // Act
    const response = await fetch(`${registry.url}/v2/demo/app/manifests/1.0`, {
      method: "PUT",
      headers: { "Content-Type": OCI_MANIFEST },
      body: JSON.stringify({ schemaVersion: 2, layers: [] }),
    });

    // Assert
    expect(response.status).toBe(400);
    const error = await firstError(response);
    expect(error.code).toBe("MANIFEST_INVALID");
    expect(error.message).toContain("config");
  });

  it("refuses an unsupported manifest media type", async () => {
    // Act
    const response = await fetch(`${registry.url}/v2/demo/app/manifests/1.0`, {
      method: "PUT",
      headers: { "Content-Type": "application/vnd.docker.distribution.manifest.v1+prettyjws" },
      body: JSON.stringify({ schemaVersion: 1 }),
    });

    // Assert
    expect(response.status).toBe(400);
    expect((await firstError(response)).code).toBe("MANIFEST_INVALID");
  });

  it("answers MANIFEST_UNKNOWN when the Accept header does not list the stored media type", async () => {
    // Arrange
    const image = buildTestImage({ a: "a" }, "f".repeat(40));
    await pushImage(registry.url, "demo/app", image, "1.0");

    // Act
    const refused = await fetch(`${registry.url}/v2/demo/app/manifests/1.0`, {
      headers: { Accept: DOCKER_MANIFEST },
    });
    const wildcard = await fetch(`${registry.url}/v2/demo/app/manifests/1.0`, {
      headers: { Accept: `${DOCKER_MANIFEST}, application/*;q=0.5` },
    });

    // Assert
    expect(refused.status).toBe(404);
    expect((await firstError(refused)).code).toBe("MANIFEST_UNKNOWN");
    expect(wildcard.status).toBe(200);
  });

  it("stores an OCI index that references manifests already in the repository", async () => {
    // Arrange
    const image = buildTestImage({ a: "amd64" }, "1".repeat(40));
    const unpushed = buildTestImage({ a: "arm64" }, "1".repeat(40));
    await pushImage(registry.url, "demo/app", image, image.manifest.digest);
    const indexContent = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [{ ...descriptorOf(image.manifest), platform: { architecture: "amd64", os: "linux" } }],
      }),
    );
    const index = { content: indexContent, digest: sha256(indexContent), mediaType: OCI_INDEX };
    const dangling = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [descriptorOf(unpushed.manifest)],
      }),
    );

    // Act
    const pushed = await pushManifest(registry.url, "demo/app", index, "multi");
    const refused = await pushManifest(
      registry.url,
      "demo/app",
      { content: dangling, digest: sha256(dangling), mediaType: OCI_INDEX },
      "dangling",
    );
    const got = await fetch(`${registry.url}/v2/demo/app/manifests/multi`, {
      headers: { Accept: OCI_INDEX },
    });

    // Assert
    expect(pushed.status).toBe(201);
    expect(refused.status).toBe(400);
    expect((await firstError(refused)).code).toBe("MANIFEST_BLOB_UNKNOWN");
    expect(got.headers.get("content-type")).toBe(OCI_INDEX);
    expect(got.headers.get("docker-content-digest")).toBe(index.digest);
  });

  it("accepts Docker schema 2 manifests and manifest lists", async () => {
    // Arrange
    const image = buildTestImage({ a: "docker" }, "2".repeat(40));
    await pushImage(registry.url, "demo/app", image, "oci");
    const dockerContent = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: DOCKER_MANIFEST,
        config: {
          ...descriptorOf(image.config),
          mediaType: "application/vnd.docker.container.image.v1+json",
        },
        layers: [
          { ...descriptorOf(image.layer), mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip" },
        ],
      }),
    );
    const docker = { content: dockerContent, digest: sha256(dockerContent), mediaType: DOCKER_MANIFEST };
    const listContent = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_LIST, manifests: [descriptorOf(docker)] }),
    );

    // Act
    const pushedManifest = await pushManifest(registry.url, "demo/app", docker, "docker");
    const pushedList = await pushManifest(
      registry.url,
      "demo/app",
      { content: listContent, digest: sha256(listContent), mediaType: DOCKER_LIST },
      "list",
    );
    const got = await fetch(`${registry.url}/v2/demo/app/manifests/docker`, {
      headers: { Accept: DOCKER_MANIFEST },
    });

    // Assert
    expect(pushedManifest.status).toBe(201);
    expect(pushedList.status).toBe(201);
    expect(got.headers.get("content-type")).toBe(DOCKER_MANIFEST);
  });

  it("refuses to move an immutable tag to another digest with TAG_INVALID, as ECR does", async () => {
    // Arrange
    await registry.close();
    registry = await start(true);
    const first = buildTestImage({ a: "one" }, "3".repeat(40));
    const second = buildTestImage({ a: "two" }, "4".repeat(40));
    await pushImage(registry.url, "demo/app", first, "1.0");

    // Act
    const again = await pushManifest(registry.url, "demo/app", first.manifest, "1.0");
    const moved = await pushImage(registry.url, "demo/app", second, "1.0");
    const got = await fetch(`${registry.url}/v2/demo/app/manifests/1.0`, { method: "HEAD" });

    // Assert
    expect(again.status).toBe(201);
    expect(moved.status).toBe(400);
    const error = await firstError(moved);
    expect(error).toMatchObject({ code: "TAG_INVALID", detail: { tag: "1.0" } });
    expect(error.message).toContain("cannot be overwritten");
    expect(got.headers.get("docker-content-digest")).toBe(first.manifest.digest);
  });

  it("moves a mutable tag to the newer digest", async () => {
    // Arrange
    const first = buildTestImage({ a: "one" }, "5".repeat(40));
    const second = buildTestImage({ a: "two" }, "6".repeat(40));
    await pushImage(registry.url, "demo/app", first, "latest");

    // Act
    const moved = await pushImage(registry.url, "demo/app", second, "latest");
    const got = await fetch(`${registry.url}/v2/demo/app/manifests/latest`, { method: "HEAD" });

    // Assert
    expect(moved.status).toBe(201);
    expect(got.headers.get("docker-content-digest")).toBe(second.manifest.digest);
  });

  it("deletes a tag, and a manifest with every tag pointing at it", async () => {
    // Arrange
    const image = buildTestImage({ a: "gone" }, "7".repeat(40));
    await pushImage(registry.url, "demo/app", image, "1.0");
    await pushManifest(registry.url, "demo/app", image.manifest, "1.0-alias");

    // Act
    const untagged = await fetch(`${registry.url}/v2/demo/app/manifests/1.0`, { method: "DELETE" });
    const removed = await fetch(`${registry.url}/v2/demo/app/manifests/${image.manifest.digest}`, {
      method: "DELETE",
    });
    const alias = await fetch(`${registry.url}/v2/demo/app/manifests/1.0-alias`);
    const again = await fetch(`${registry.url}/v2/demo/app/manifests/1.0`, { method: "DELETE" });

    // Assert
    expect(untagged.status).toBe(202);
    expect(removed.status).toBe(202);
    expect(alias.status).toBe(404);
    expect((await firstError(alias)).code).toBe("MANIFEST_UNKNOWN");
    expect(again.status).toBe(404);
  });

  it("lists the referrers of a manifest through its subject", async () => {
    // Arrange
    const image = buildTestImage({ a: "signed" }, "8".repeat(40));
    await pushImage(registry.url, "demo/app", image, "1.0");
    const empty = Buffer.from("{}");
    await fetch(`${registry.url}/v2/demo/app/blobs/uploads/?digest=${sha256(empty)}`, {
      method: "POST",
      body: empty,
    });
    const signatureContent = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: "application/vnd.example.signature",
        config: { mediaType: "application/vnd.oci.empty.v1+json", digest: sha256(empty), size: 2 },
        layers: [],
        subject: descriptorOf(image.manifest),
        annotations: { "org.example.signer": "ci" },
      }),
    );
    const signature = {
      content: signatureContent,
      digest: sha256(signatureContent),
      mediaType: OCI_MANIFEST,
    };

    // Act
    const pushed = await pushManifest(registry.url, "demo/app", signature, signature.digest);
    const referrers = await fetch(`${registry.url}/v2/demo/app/referrers/${image.manifest.digest}`);

    // Assert
    expect(pushed.headers.get("oci-subject")).toBe(image.manifest.digest);
    expect(await referrers.json()).toEqual({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: signature.digest,
          size: signatureContent.length,
          artifactType: "application/vnd.example.signature",
          annotations: { "org.example.signer": "ci" },
        },
      ],
    });
  });

  it("keeps images across a restart and exposes them through the read API", async () => {
    // Arrange
    const image = buildTestImage({ a: "durable" }, "9".repeat(40));
    await pushImage(registry.url, "team/service/api", image, "1.0");
    await registry.close();

    // Act
    registry = await start();
    const manifest = await registry.getManifest("team/service/api", "1.0");
    const images = await registry.listImages("team/service/api");
    const config = await registry.getBlob(image.config.digest);
    const missing = await registry.getManifest("team/service/api", "2.0");

    // Assert
    expect(manifest).toMatchObject({
      repository: "team/service/api",
      digest: image.manifest.digest,
      mediaType: OCI_MANIFEST,
      tags: ["1.0"],
      pushedAt: new Date("2026-03-01T10:00:00.250Z"),
    });
    expect(manifest?.document.kind).toBe("image");
    expect(images).toEqual([
      {
        repository: "team/service/api",
        digest: image.manifest.digest,
        mediaType: OCI_MANIFEST,
        size: image.manifest.content.length,
        tags: ["1.0"],
        pushedAt: new Date("2026-03-01T10:00:00.250Z"),
      },
    ]);
    expect(JSON.parse(config?.toString() ?? "{}").config.Labels["org.opencontainers.image.revision"]).toBe(
      "9".repeat(40),
    );
    expect(missing).toBeUndefined();
    expect(await registry.listRepositories()).toEqual(["team/service/api"]);
  });
});
