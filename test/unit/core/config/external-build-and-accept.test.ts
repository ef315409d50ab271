import { describe, expect, it } from "vitest";
import type { ConfigProblem } from "../../../../functions/core/config/config-problem.js";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { type RawConfig, toYaml, validConfig } from "./config-builder.js";

function mutated(change: (config: RawConfig) => void): string {
  const config = validConfig();
  change(config);
  return toYaml(config);
}

function problemsOf(text: string): ConfigProblem[] {
  try {
    parseConfig(text);
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    const problems = error.data.problems;
    if (!Array.isArray(problems)) throw new Error("data.problems is not a list");
    return problems;
  }
  throw new Error("expected parseConfig to throw");
}

describe("build: external", () => {
  it("turns the managed build off with the one word", () => {
    // Arrange
    const text = mutated((c) => Object.assign(c.apps[1] ?? {}, { build: "external" }));

    // Act
    const config = parseConfig(text);

    // Assert
    expect(config.apps[1]?.build).toEqual({ external: true });
    expect(config.apps[0]?.build).toMatchObject({ commands: { install: ["npm ci"] } });
  });

  it("needs no build.version for a tag template with {version}, since the app's CI tags its images", () => {
    // Arrange
    const text = mutated((c) => Object.assign(c.apps[0] ?? {}, { build: { external: true } }));

    // Act
    const config = parseConfig(text);

    // Assert
    expect(config.apps[0]?.image.tag).toBe("{version}-{sha7}");
    expect(config.apps[0]?.build).toEqual({ external: true });
  });

  it.each<[string, unknown, string, string]>([
    [
      "a misspelt word",
      "externl",
      "apps[1].build",
      "'externl' is not a build; did you mean build: external?",
    ],
    ["a number", 3, "apps[1].build", "3 is not a build; write build: external"],
    [
      "external beside a managed build's keys",
      { external: true, dockerfile: "Dockerfile" },
      "apps[1].build.dockerfile",
      "is set, but the build is external (its CI builds the image); remove build.dockerfile",
    ],
  ])("refuses %s, naming the key and the fix", (_name, build, path, text) => {
    // Arrange
    const config = mutated((c) => Object.assign(c.apps[1] ?? {}, { build }));

    // Act
    const problems = problemsOf(config);

    // Assert
    expect(problems.map((problem) => problem.path)).toContain(path);
    const problem = problems.find((candidate) => candidate.path === path);
    expect(`${problem?.message}; ${problem?.fix}`).toContain(text);
  });
});

describe("accept", () => {
  it("reads branches (one or a list), a tag expression and a semver range", () => {
    // Arrange
    const text = mutated((c) => {
      Object.assign(c.apps[0] ?? {}, { accept: { branches: ["main", "release/*"], semver: ">=1.2.0 <2" } });
      Object.assign(c.apps[1] ?? {}, { accept: { branches: "main", tags: "^v[0-9]+$" } });
    });

    // Act
    const config = parseConfig(text);

    // Assert
    expect(config.apps[0]?.accept).toEqual({ branches: ["main", "release/*"], semver: ">=1.2.0 <2" });
    expect(config.apps[1]?.accept).toEqual({ branches: ["main"], tags: "^v[0-9]+$" });
  });

  it("is optional: an app without it takes every announced image", () => {
    // Arrange
    const text = toYaml(validConfig());

    // Act
    const config = parseConfig(text);

    // Assert
    expect(config.apps.map((app) => app.accept)).toEqual([undefined, undefined]);
  });

  it.each<[string, unknown, string, string]>([
    [
      "an empty policy",
      {},
      "apps[0].accept",
      "says nothing about which images to accept; add branches, tags or semver, or remove accept",
    ],
    [
      "a branch written as a ref",
      { branches: ["refs/heads/main"] },
      "apps[0].accept.branches[0]",
      "'refs/heads/main' is a ref",
    ],
    [
      "a branch git refuses",
      { branches: ["main", "a..b"] },
      "apps[0].accept.branches[1]",
      "'a..b' can match no branch",
    ],
    ["an empty branch list", { branches: [] }, "apps[0].accept.branches", "is an empty list"],
    [
      "a tag expression that does not compile",
      { tags: "[v" },
      "apps[0].accept.tags",
      "'[v' is not a regular expression",
    ],
    [
      "a tag expression in slashes",
      { tags: "/^v.*$/" },
      "apps[0].accept.tags",
      "'/^v.*$/' is written as a JavaScript literal; write the expression without the slashes, e.g. '^v.*$'",
    ],
    [
      "a semver range that is not one",
      { semver: "newest" },
      "apps[0].accept.semver",
      "'newest' is not a semver range",
    ],
    ["a list instead of a mapping", ["main"], "apps[0].accept", "a list is not a mapping"],
  ])("refuses %s, naming the key, the value and the fix", (_name, accept, path, text) => {
    // Arrange
    const config = mutated((c) => Object.assign(c.apps[0] ?? {}, { accept }));

    // Act
    const problems = problemsOf(config);

    // Assert
    const problem = problems.find((candidate) => candidate.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(`${problem?.message}; ${problem?.fix}`).toContain(text);
  });
});
