import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OciRegistryClient } from "../../../functions/adapters/oci/oci-registry-client.js";
import { type LocalRegistry, startLocalRegistry } from "../../../functions/local/registry/index.js";
import { buildTestImage, pushImage } from "./registry-test-image.js";

/**
 * A registry front that asks for a Bearer token as GHCR and Docker Hub do: `/token` hands one out for
 * Basic `reader:secret`, `/v2/...` answers 401 with the challenge without it and passes the request
 * on to the local registry with it. `tamper` makes it answer other bytes than the registry's.
 */
async function startTokenFront(registryUrl: string, options: { tamper?: boolean } = {}) {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://front");
      requests.push(`${url.pathname}${url.search}`);
      const base = `http://${request.headers.host}`;
      if (url.pathname === "/token") {
        const basic = `Basic ${Buffer.from("reader:secret").toString("base64")}`;
        if (request.headers.authorization !== basic) return response.writeHead(401).end();
        return response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ token: "t-1" }));
      }
      if (request.headers.authorization !== "Bearer t-1") {
        return response
          .writeHead(401, { "www-authenticate": `Bearer realm="${base}/token",service="front",scope="x"` })
          .end();
      }
      const upstream = await fetch(`${registryUrl}${url.pathname}`, {
        headers: { accept: String(request.headers.accept ?? "*/*") },
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      response
        .writeHead(upstream.status, {
          "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
        })
        .end(
          options.tamper && url.pathname.includes("/manifests/")
            ? Buffer.concat([body, Buffer.from(" ")])
            : body,
        );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("OciRegistryClient", () => {
  let dataDir: string;
  let registry: LocalRegistry;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "shipline-oci-client-"));
    registry = await startLocalRegistry({ dataDir });
  });

  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await registry.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("resolves a tag to its digest and reads the image's revision label through the distribution API", async () => {
    // Arrange
    const image = buildTestImage({ "index.html": "v1" }, "a".repeat(40));
    await pushImage(registry.url, "acme/demo", image, "1.0.0-aaaaaaa");
    const client = new OciRegistryClient({ host: registry.host });

    // Act
    const digest = await client.resolveTag("acme/demo", "1.0.0-aaaaaaa");
    const labels = await client.getImageLabels("acme/demo", image.manifest.digest);
    const missing = await client.resolveTag("acme/demo", "no-such-tag");

    // Assert
    expect(digest).toBe(image.manifest.digest);
    expect(labels).toMatchObject({ "org.opencontainers.image.revision": "a".repeat(40) });
    expect(missing).toBeUndefined();
  });

  it("answers the registry's Bearer challenge with a token from its realm, asked with the credentials", async () => {
    // Arrange
    const image = buildTestImage({ "index.html": "v2" }, "b".repeat(40));
    await pushImage(registry.url, "acme/demo", image, "2.0.0-bbbbbbb");
    const front = await startTokenFront(registry.url);
    closers.push(front.close);
    const client = new OciRegistryClient({
      host: front.host,
      credentials: async () => ({ username: "reader", password: "secret" }),
    });

    // Act
    const digest = await client.resolveTag("acme/demo", "2.0.0-bbbbbbb");
    const labels = await client.getImageLabels("acme/demo", image.manifest.digest);

    // Assert
    expect(digest).toBe(image.manifest.digest);
    expect(labels).toMatchObject({ "org.opencontainers.image.revision": "b".repeat(40) });
    expect(front.requests.filter((request) => request.startsWith("/token"))).toEqual([
      "/token?service=front&scope=repository%3Aacme%2Fdemo%3Apull",
    ]);
  });

  it("refuses wrong credentials as OCI_REGISTRY_DENIED and a manifest that does not hash to its digest as OCI_DIGEST_MISMATCH", async () => {
    // Arrange
    const image = buildTestImage({ "index.html": "v3" }, "c".repeat(40));
    await pushImage(registry.url, "acme/demo", image, "3.0.0-ccccccc");
    const front = await startTokenFront(registry.url);
    const tampering = await startTokenFront(registry.url, { tamper: true });
    closers.push(front.close, tampering.close);
    const credentials = async () => ({ username: "reader", password: "secret" });

    // Act
    const wrong = new OciRegistryClient({
      host: front.host,
      credentials: async () => ({ username: "reader", password: "guess" }),
    }).resolveTag("acme/demo", "3.0.0-ccccccc");
    const tampered = new OciRegistryClient({ host: tampering.host, credentials }).getImageLabels(
      "acme/demo",
      image.manifest.digest,
    );

    // Assert
    await expect(wrong).rejects.toMatchObject({ code: "OCI_REGISTRY_DENIED", retryable: false });
    await expect(tampered).rejects.toMatchObject({ code: "OCI_DIGEST_MISMATCH" });
  });

  it("says a registry that cannot be reached is retryable", async () => {
    // Arrange
    const client = new OciRegistryClient({ host: "127.0.0.1:9", timeoutMs: 2_000 });

    // Act
    const read = client.resolveTag("acme/demo", "1.0.0");

    // Assert
    await expect(read).rejects.toMatchObject({ code: "OCI_REGISTRY_UNAVAILABLE", retryable: true });
  });
});
