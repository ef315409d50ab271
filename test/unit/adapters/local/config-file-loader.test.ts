import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIG_FILE_NAME, loadConfigFile } from "../../../../functions/adapters/local/config-file-loader.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

async function loadError(file: string): Promise<ShiplineError> {
  try {
    await loadConfigFile(file);
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected loadConfigFile to throw");
}

describe("loadConfigFile", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shipline-config-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads and validates a config file", async () => {
    // Arrange
    const file = path.join(dir, CONFIG_FILE_NAME);
    await copyFile(path.join(repoRoot, "shipline.config.yaml"), file);

    // Act
    const config = await loadConfigFile(file);

    // Assert
    expect(config.apps.map((app) => app.name)).toEqual(["demo"]);
    expect(config.environments.map((environment) => environment.name)).toEqual(["staging", "production"]);
  });

  it("names the missing file and how to create one", async () => {
    // Arrange
    const file = path.join(dir, CONFIG_FILE_NAME);

    // Act
    const error = await loadError(file);

    // Assert
    expect(error.code).toBe("CONFIG_NOT_FOUND");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`no configuration file at ${file}`);
    expect(error.message).toContain("copying the example shipline.config.yaml");
    expect(error.data).toEqual({ file });
  });

  it("says where the file goes when given its directory", async () => {
    // Arrange
    const folder = path.join(dir, "project");
    await mkdir(folder);

    // Act
    const error = await loadError(folder);

    // Assert
    expect(error.code).toBe("CONFIG_UNREADABLE");
    expect(error.message).toContain(
      `point at the file inside it, e.g. ${path.join(folder, CONFIG_FILE_NAME)}`,
    );
  });

  it("reports an invalid file under the path it was given", async () => {
    // Arrange
    const file = path.join(dir, "broken.yaml");
    await writeFile(file, "version: 1\nclusters: []\nfavouriteColour: blue\n");

    // Act
    const error = await loadError(file);

    // Assert
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message.split("\n")[0]).toBe(`${file} has 5 problems:`);
    expect(error.message).toContain("favouriteColour: 'favouriteColour' is not a known key");
    expect(error.message).toContain("clusters: is an empty list");
  });
});
