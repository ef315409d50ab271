import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../../../functions/local/builder/image/dockerfile.js";

const DOCKERFILE = new URL("../../../functions/agent/Dockerfile", import.meta.url);

describe("the agent's Dockerfile", () => {
  it("builds on a pinned Node.js 24 LTS image and bundles for Node.js 24", async () => {
    // Arrange
    const instructions = parseDockerfile(await readFile(DOCKERFILE, "utf8"));

    // Act
    const image = instructions.find((instruction) => instruction.keyword === "ARG")?.text;
    const bundle = instructions.find(
      (instruction) => instruction.keyword === "RUN" && instruction.text.includes("esbuild"),
    )?.text;

    // Assert
    expect(image).toMatch(/^NODE_IMAGE=node:24\.\d+\.\d+-alpine\d+\.\d+$/);
    expect(bundle).toContain("--target=node24");
    expect(
      instructions.filter((instruction) => instruction.keyword === "FROM").map((from) => from.text),
    ).toEqual([
      expect.stringMatching(/^\$\{NODE_IMAGE\} AS build$/),
      expect.stringMatching(/^\$\{NODE_IMAGE\}$/),
    ]);
  });
});
