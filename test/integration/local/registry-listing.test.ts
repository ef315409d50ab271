import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type LocalRegistry, startLocalRegistry } from "../../../functions/local/registry/index.js";
import { buildTestImage, firstError, pushImage, pushManifest } from "./registry-test-image.js";

describe("local registry listings", () => {
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

  it("lists tags in lexical order, page by page through the Link header", async () => {
    // Arrange
    const image = buildTestImage({ a: "tags" }, "a".repeat(40));
    await pushImage(registry.url, "demo/app", image, "b");
    for (const tag of ["a", "d", "c"]) await pushManifest(registry.url, "demo/app", image.manifest, tag);

    // Act
    const all = await fetch(`${registry.url}/v2/demo/app/tags/list`);
    const first = await fetch(`${registry.url}/v2/demo/app/tags/list?n=2`);
    const link = first.headers.get("link") ?? "";
    const next = await fetch(`${registry.url}${/<([^>]+)>/.exec(link)?.[1]}`);

    // Assert
    expect(await all.json()).toEqual({ name: "demo/app", tags: ["a", "b", "c", "d"] });
    expect(await first.json()).toEqual({ name: "demo/app", tags: ["a", "b"] });
    expect(link).toBe('</v2/demo/app/tags/list?n=2&last=b>; rel="next"');
    expect(await next.json()).toEqual({ name: "demo/app", tags: ["c", "d"] });
    expect(next.headers.get("link")).toBeNull();
  });

  it("answers NAME_UNKNOWN for the tags of a repository never pushed to", async () => {
    // Act
    const response = await fetch(`${registry.url}/v2/nothing/here/tags/list`);

    // Assert
    expect(response.status).toBe(404);
    expect((await firstError(response)).code).toBe("NAME_UNKNOWN");
  });

  it("lists nested repositories in the catalog, paginated", async () => {
    // Arrange
    const image = buildTestImage({ a: "catalog" }, "b".repeat(40));
    for (const name of ["team/b/api", "team/a", "team/a/worker", "tags/list"]) {
      await pushImage(registry.url, name, image, "1.0");
    }

    // Act
    const all = await fetch(`${registry.url}/v2/_catalog`);
    const page = await fetch(`${registry.url}/v2/_catalog?n=2&last=tags/list`);
    const nestedTags = await fetch(`${registry.url}/v2/tags/list/tags/list`);

    // Assert
    expect(await all.json()).toEqual({
      repositories: ["tags/list", "team/a", "team/a/worker", "team/b/api"],
    });
    expect(await page.json()).toEqual({ repositories: ["team/a", "team/a/worker"] });
    expect(page.headers.get("link")).toBe('</v2/_catalog?n=2&last=team%2Fa%2Fworker>; rel="next"');
    expect(await nestedTags.json()).toEqual({ name: "tags/list", tags: ["1.0"] });
  });

  it("rejects a page size that is not a number", async () => {
    // Act
    const response = await fetch(`${registry.url}/v2/_catalog?n=many`);

    // Assert
    expect(response.status).toBe(400);
    expect((await firstError(response)).message).toContain("n='many'");
  });
});
