import fs from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import git from "isomorphic-git";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfigFile } from "../../../../functions/adapters/local/config-file-loader.js";
import type { ShiplineConfig } from "../../../../functions/core/config/shipline-config.js";
import { buildTagRenderer } from "../../../../functions/local/demo/build-tag-renderer.js";

const EXAMPLE_CONFIG = new URL("../../../../shipline.config.yaml", import.meta.url).pathname;

describe("buildTagRenderer", () => {
  let dir: string;
  let config: ShiplineConfig;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-tag-renderer-"));
    config = await loadConfigFile(EXAMPLE_CONFIG);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function commitPackage(version: string): Promise<string> {
    await git.init({ fs, dir, defaultBranch: "main" });
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "demo", version }));
    await git.add({ fs, dir, filepath: "package.json" });
    return git.commit({
      fs,
      dir,
      message: "version",
      author: { name: "Demo", email: "demo@example.invalid" },
    });
  }

  it("completes {version} from package.json at the pushed commit, as the build will", async () => {
    // Arrange
    const commit = await commitPackage("1.4.0+build.7");
    const render = buildTagRenderer({
      config,
      gitDirOf: async (name) => (name === "demo" ? join(dir, ".git") : undefined),
    });

    // Act
    const tag = await render("demo", commit, `{version}-${commit.slice(0, 7)}`);

    // Assert
    expect(tag).toBe(`1.4.0_build.7-${commit.slice(0, 7)}`);
  });

  it("answers undefined for an app whose repository the local git server does not have", async () => {
    // Arrange
    const commit = await commitPackage("1.4.0");
    const render = buildTagRenderer({ config, gitDirOf: async () => undefined });

    // Act
    const tag = await render("demo", commit, "{version}-0000000");

    // Assert
    expect(tag).toBeUndefined();
  });
});
