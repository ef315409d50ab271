import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type LocalRegistry, startLocalRegistry } from "../../../functions/local/registry/index.js";
import { firstError, pushBlob, sha256 } from "./registry-test-image.js";

describe("local registry blobs", () => {
  let dataDir: string;
  let registry: LocalRegistry;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "shipline-registry-"));
    registry = await startLocalRegistry({ dataDir });
  });

  afterEach(async () => {
    await registry.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const blobOf = (text: string) => {
    const content = Buffer.from(text);
    return { content, digest: sha256(content), mediaType: "application/octet-stream" };
  };

  it("answers the version check with the API version header", async () => {
    // Act
    const response = await fetch(`${registry.url}/v2/`);

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("stores a monolithic upload and serves it back by digest", async () => {
    // Arrange
    const blob = blobOf("hello layer");

    // Act
    const pushed = await pushBlob(registry.url, "demo/app", blob);
    const head = await fetch(`${registry.url}/v2/demo/app/blobs/${blob.digest}`, { method: "HEAD" });
    const got = await fetch(`${registry.url}/v2/demo/app/blobs/${blob.digest}`);

    // Assert
    expect(pushed.status).toBe(201);
    expect(pushed.headers.get("location")).toBe(`/v2/demo/app/blobs/${blob.digest}`);
    expect(pushed.headers.get("docker-content-digest")).toBe(blob.digest);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(blob.content.length));
    expect(Buffer.from(await got.arrayBuffer()).equals(blob.content)).toBe(true);
    expect(await registry.getBlob(blob.digest)).toEqual(blob.content);
  });

  it("refuses an upload whose content does not match its digest with DIGEST_INVALID", async () => {
    // Arrange
    const claimed = sha256(Buffer.from("something else"));

    // Act
    const response = await fetch(`${registry.url}/v2/demo/app/blobs/uploads/?digest=${claimed}`, {
      method: "POST",
      body: Buffer.from("actual content"),
    });
    const head = await fetch(`${registry.url}/v2/demo/app/blobs/${claimed}`, { method: "HEAD" });

    // Assert
    expect(response.status).toBe(400);
    const error = await firstError(response);
    expect(error.code).toBe("DIGEST_INVALID");
    expect(error.message).toContain(claimed);
    expect(head.status).toBe(404);
  });

  it("assembles a chunked upload from ordered PATCH requests and reports its progress", async () => {
    // Arrange
    const blob = blobOf("first chunk|second chunk|last");
    const started = await fetch(`${registry.url}/v2/demo/app/blobs/uploads/`, { method: "POST" });
    const location = started.headers.get("location") ?? "";

    // Act
    const first = await fetch(`${registry.url}${location}`, {
      method: "PATCH",
      headers: { "Content-Range": "0-11", "Content-Type": "application/octet-stream" },
      body: blob.content.subarray(0, 12),
    });
    const second = await fetch(`${registry.url}${first.headers.get("location")}`, {
      method: "PATCH",
      headers: { "Content-Range": "12-24" },
      body: blob.content.subarray(12, 25),
    });
    const status = await fetch(`${registry.url}${location}`);
    const closed = await fetch(`${registry.url}${location}?digest=${blob.digest}`, {
      method: "PUT",
      headers: { "Content-Range": "25-28" },
      body: blob.content.subarray(25),
    });
    const got = await fetch(`${registry.url}/v2/demo/app/blobs/${blob.digest}`);

    // Assert
    expect(started.status).toBe(202);
    expect(started.headers.get("docker-upload-uuid")).toBeTruthy();
    expect(first.status).toBe(202);
    expect(first.headers.get("range")).toBe("0-11");
    expect(second.headers.get("range")).toBe("0-24");
    expect(status.status).toBe(204);
    expect(status.headers.get("range")).toBe("0-24");
    expect(closed.status).toBe(201);
    expect(Buffer.from(await got.arrayBuffer()).toString()).toBe("first chunk|second chunk|last");
  });

  it("answers 416 to a chunk that does not continue the upload, and keeps the upload usable", async () => {
    // Arrange
    const blob = blobOf("0123456789");
    const started = await fetch(`${registry.url}/v2/demo/app/blobs/uploads/`, { method: "POST" });
    const location = started.headers.get("location") ?? "";
    await fetch(`${registry.url}${location}`, {
      method: "PATCH",
      headers: { "Content-Range": "0-4" },
      body: "01234",
    });

    // Act
    const skipped = await fetch(`${registry.url}${location}`, {
      method: "PATCH",
      headers: { "Content-Range": "7-9" },
      body: "789",
    });
    const resumed = await fetch(`${registry.url}${location}`, {
      method: "PATCH",
      headers: { "Content-Range": "5-9" },
      body: "56789",
    });
    const closed = await fetch(`${registry.url}${location}?digest=${blob.digest}`, { method: "PUT" });

    // Assert
    expect(skipped.status).toBe(416);
    expect((await firstError(skipped)).code).toBe("BLOB_UPLOAD_INVALID");
    expect(resumed.status).toBe(202);
    expect(closed.status).toBe(201);
  });

  it("streams a PATCH without Content-Range and closes the upload with PUT", async () => {
    // Arrange
    const blob = blobOf("streamed in one go");
    const started = await fetch(`${registry.url}/v2/demo/app/blobs/uploads/`, { method: "POST" });
    const location = started.headers.get("location") ?? "";

    // Act
    await fetch(`${registry.url}${location}`, { method: "PATCH", body: blob.content });
    const closed = await fetch(`${registry.url}${location}?digest=${blob.digest}`, { method: "PUT" });

    // Assert
    expect(closed.status).toBe(201);
    expect(closed.headers.get("docker-content-digest")).toBe(blob.digest);
  });

  it("requires a digest to close an upload", async () => {
    // Arrange
    const started = await fetch(`${registry.url}/v2/demo/app/blobs/uploads/`, { method: "POST" });

    // Act
    const closed = await fetch(`${registry.url}${started.headers.get("location")}`, {
      method: "PUT",
      body: "x",
    });

    // Assert
    expect(closed.status).toBe(400);
    expect((await firstError(closed)).code).toBe("DIGEST_INVALID");
  });

  it("cancels an upload, after which it is unknown", async () => {
    // Arrange
    const started = await fetch(`${registry.url}/v2/demo/app/blobs/uploads/`, { method: "POST" });
    const location = started.headers.get("location") ?? "";

    // Act
    const cancelled = await fetch(`${registry.url}${location}`, { method: "DELETE" });
    const status = await fetch(`${registry.url}${location}`);

    // Assert
    expect(cancelled.status).toBe(204);
    expect(status.status).toBe(404);
    expect((await firstError(status)).code).toBe("BLOB_UPLOAD_UNKNOWN");
  });

  it("does not let another repository continue an upload", async () => {
    // Arrange
    const started = await fetch(`${registry.url}/v2/demo/app/blobs/uploads/`, { method: "POST" });
    const id = started.headers.get("docker-upload-uuid");

    // Act
    const response = await fetch(`${registry.url}/v2/other/app/blobs/uploads/${id}`);

    // Assert
    expect(response.status).toBe(404);
    expect((await firstError(response)).code).toBe("BLOB_UPLOAD_UNKNOWN");
  });

  it("mounts a blob from another repository that holds it", async () => {
    // Arrange
    const blob = blobOf("shared base layer");
    await pushBlob(registry.url, "base/image", blob);

    // Act
    const mounted = await fetch(
      `${registry.url}/v2/demo/app/blobs/uploads/?mount=${blob.digest}&from=base/image`,
      {
        method: "POST",
      },
    );
    const head = await fetch(`${registry.url}/v2/demo/app/blobs/${blob.digest}`, { method: "HEAD" });

    // Assert
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get("location")).toBe(`/v2/demo/app/blobs/${blob.digest}`);
    expect(head.status).toBe(200);
  });

  it("starts an upload instead when the blob cannot be mounted", async () => {
    // Arrange
    const blob = blobOf("not anywhere");

    // Act
    const response = await fetch(
      `${registry.url}/v2/demo/app/blobs/uploads/?mount=${blob.digest}&from=base/image`,
      {
        method: "POST",
      },
    );

    // Assert
    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toMatch(/^\/v2\/demo\/app\/blobs\/uploads\/[0-9a-f-]+$/);
  });

  it("keeps blobs apart per repository although content is stored once", async () => {
    // Arrange
    const blob = blobOf("private layer");
    await pushBlob(registry.url, "team/a", blob);

    // Act
    const response = await fetch(`${registry.url}/v2/team/b/blobs/${blob.digest}`);

    // Assert
    expect(response.status).toBe(404);
    expect((await firstError(response)).code).toBe("BLOB_UNKNOWN");
  });

  it("serves a byte range of a blob with 206", async () => {
    // Arrange
    const blob = blobOf("0123456789");
    await pushBlob(registry.url, "demo/app", blob);

    // Act
    const response = await fetch(`${registry.url}/v2/demo/app/blobs/${blob.digest}`, {
      headers: { Range: "bytes=2-5" },
    });

    // Assert
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await response.text()).toBe("2345");
  });

  it("unlinks a blob from a repository on DELETE", async () => {
    // Arrange
    const blob = blobOf("to delete");
    await pushBlob(registry.url, "demo/app", blob);

    // Act
    const deleted = await fetch(`${registry.url}/v2/demo/app/blobs/${blob.digest}`, { method: "DELETE" });
    const head = await fetch(`${registry.url}/v2/demo/app/blobs/${blob.digest}`, { method: "HEAD" });

    // Assert
    expect(deleted.status).toBe(202);
    expect(head.status).toBe(404);
  });

  it("rejects an invalid repository name with NAME_INVALID", async () => {
    // Act
    const response = await fetch(`${registry.url}/v2/Demo/App/blobs/uploads/`, { method: "POST" });

    // Assert
    expect(response.status).toBe(400);
    const error = await firstError(response);
    expect(error).toMatchObject({ code: "NAME_INVALID", detail: { name: "Demo/App" } });
  });

  it("rejects a malformed digest with DIGEST_INVALID", async () => {
    // Act
    const response = await fetch(`${registry.url}/v2/demo/app/blobs/sha256:nothex`);

    // Assert
    expect(response.status).toBe(400);
    expect((await firstError(response)).code).toBe("DIGEST_INVALID");
  });

  it("answers an unknown path with an OCI error body", async () => {
    // Act
    const response = await fetch(`${registry.url}/v1/search`);

    // Assert
    expect(response.status).toBe(404);
    expect((await firstError(response)).code).toBe("UNSUPPORTED");
  });
});
