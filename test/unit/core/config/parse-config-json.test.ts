import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import { parseConfigJson } from "../../../../functions/core/config/parse-config-json.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { toYaml, validConfig } from "./config-builder.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

function thrownBy(act: () => unknown): ShiplineError {
  try {
    act();
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError");
}

describe("parseConfigJson", () => {
  it.each(["shipline.config.yaml", "examples/aws/shipline.config.yaml"])(
    "reads the JSON of %s exactly as parseConfig reads the YAML",
    (file) => {
      // Arrange
      const text = readFileSync(path.join(repoRoot, file), "utf8");
      const json = JSON.stringify(parse(text));

      // Act
      const fromJson = parseConfigJson(json, "CONFIG_JSON");

      // Assert
      expect(fromJson).toEqual(parseConfig(text, file));
    },
  );

  it("refuses text that is not JSON with one problem at the root, naming the source", () => {
    // Arrange
    const yaml = toYaml(validConfig());

    // Act
    const error = thrownBy(() => parseConfigJson(yaml, "CONFIG_JSON"));

    // Assert
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toMatch(/^CONFIG_JSON has 1 problem:\n {2}- \(root\): is not JSON \(/);
    expect(error.message).toContain("deploy the configuration with the CDK app");
  });

  it("names every problem by key path, without lines, as parseConfig does", () => {
    // Arrange
    const config = validConfig();
    config.version = 2;
    config.environments.push({ name: "qa", cluster: "Not a cluster name" });

    // Act
    const error = thrownBy(() => parseConfigJson(JSON.stringify(config), "CONFIG_JSON"));

    // Assert
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("version: 2 is not supported; write version: 1 at the top");
    expect(error.message).toContain("environments[2].cluster");
    expect(error.message).not.toMatch(/\(line \d+\)/);
  });

  it("leaves the checks across keys to the file the JSON was written from", () => {
    // Arrange
    const config = validConfig();
    config.environments.push({ name: "qa", cluster: "nowhere" });

    // Act
    const parsed = parseConfigJson(JSON.stringify(config), "CONFIG_JSON");

    // Assert
    expect(parsed.environments.map((environment) => environment.cluster)).toContain("nowhere");
  });

  it("refuses an empty document", () => {
    // Act
    const error = thrownBy(() => parseConfigJson("null"));

    // Assert
    expect(error.message).toBe(
      "CONFIG_JSON has 1 problem:\n  - (root): the file is empty; start from the example shipline.config.yaml at the root of the Shipline repository",
    );
  });
});
