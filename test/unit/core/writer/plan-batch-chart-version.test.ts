import { describe, expect, it } from "vitest";
import { planBatch } from "../../../../functions/core/writer/plan-batch.js";
import { anIntent } from "./intent-fixtures.js";

const VALUES = "demo:\n  image:\n    tag: 1.0.0-aaaaaaa # the app\n";
const CHART = [
  "apiVersion: v2",
  "name: demo-staging",
  "version: 0.1.0",
  "dependencies:",
  "  - name: demo # pushed by the build",
  "    version: 1.0.0-aaaaaaa",
  "    repository: oci://registry.local/charts",
  "",
].join("\n");
const APPLICATION = [
  "apiVersion: argoproj.io/v1alpha1",
  "kind: Application",
  "spec:",
  "  source:",
  "    repoURL: registry.local/charts",
  "    chart: demo",
  "    targetRevision: 1.0.0-aaaaaaa # chart",
  "    helm:",
  "      valuesObject:",
  "        image:",
  "          tag: 1.0.0-aaaaaaa",
  "",
].join("\n");

const dependencyTarget = {
  kind: "helm" as const,
  file: "envs/dev/values.yaml",
  path: "demo.image.tag",
  chartVersion: { file: "envs/dev/Chart.yaml", path: "dependencies[0].version" },
};

describe("planBatch with a chart version", () => {
  it("writes the image tag and the chart dependency's version in one plan, keeping comments", () => {
    // Arrange
    const files = new Map([
      ["envs/dev/values.yaml", VALUES],
      ["envs/dev/Chart.yaml", CHART],
    ]);
    const intent = anIntent({ target: dependencyTarget, tag: "1.1.0-bbbbbbb" });

    // Act
    const plan = planBatch({ intents: [intent], files });

    // Assert
    expect(plan.files).toEqual([
      { path: "envs/dev/values.yaml", content: VALUES.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb") },
      { path: "envs/dev/Chart.yaml", content: CHART.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb") },
    ]);
    expect(plan.intents.map((entry) => entry.status)).toEqual(["changed"]);
  });

  it("writes an Argo CD Application's targetRevision beside its values in the same file", () => {
    // Arrange
    const target = {
      kind: "helm" as const,
      file: "apps/demo-dev.yaml",
      path: "spec.source.helm.valuesObject.image.tag",
      chartVersion: { path: "spec.source.targetRevision" },
    };
    const files = new Map([["apps/demo-dev.yaml", APPLICATION]]);

    // Act
    const plan = planBatch({ intents: [anIntent({ target, tag: "1.1.0-bbbbbbb" })], files });

    // Assert
    expect(plan.files).toEqual([
      { path: "apps/demo-dev.yaml", content: APPLICATION.replaceAll("1.0.0-aaaaaaa", "1.1.0-bbbbbbb") },
    ]);
  });

  it("fails the intent and writes neither file when the chart file is missing", () => {
    // Arrange
    const files = new Map<string, string | undefined>([
      ["envs/dev/values.yaml", VALUES],
      ["envs/dev/Chart.yaml", undefined],
    ]);

    // Act
    const plan = planBatch({
      intents: [anIntent({ target: dependencyTarget, tag: "1.1.0-bbbbbbb" })],
      files,
    });

    // Assert
    expect(plan.files).toEqual([]);
    expect(plan.intents).toEqual([
      expect.objectContaining({
        status: "failed",
        error: expect.objectContaining({
          code: "WRITER_FILE_NOT_FOUND",
          message: expect.stringContaining("envs/dev/Chart.yaml is not in the config repository"),
        }),
      }),
    ]);
  });

  it("fails the intent and writes nothing when the image tag is not a SemVer chart version", () => {
    // Arrange
    const files = new Map([
      ["envs/dev/values.yaml", VALUES],
      ["envs/dev/Chart.yaml", CHART],
    ]);

    // Act
    const plan = planBatch({ intents: [anIntent({ target: dependencyTarget, tag: "0123abc" })], files });

    // Assert
    expect(plan.files).toEqual([]);
    expect(plan.intents).toEqual([
      expect.objectContaining({
        status: "failed",
        error: expect.objectContaining({ code: "CHART_VERSION_INVALID" }),
      }),
    ]);
  });

  it("still reverts the image when the one it restores predates the chart, leaving the chart version", () => {
    // Arrange: the image before the chart's first deployment was tagged "bootstrap", no chart version.
    const before = VALUES.replace("1.0.0-aaaaaaa", "bootstrap");
    const after = VALUES.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb");
    const chart = CHART.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb");
    const revert = anIntent({
      intentId: "rollback",
      kind: "revert",
      target: dependencyTarget,
      tag: "1.1.0-bbbbbbb",
      revertOf: "1".repeat(40),
    });

    // Act
    const plan = planBatch({
      intents: [revert],
      files: new Map([
        ["envs/dev/values.yaml", after],
        ["envs/dev/Chart.yaml", chart],
      ]),
      reverts: new Map([
        ["rollback", { configCommit: "1".repeat(40), file: "envs/dev/values.yaml", before, after }],
      ]),
    });

    // Assert
    expect(plan.intents.map((entry) => entry.status)).toEqual(["changed"]);
    expect(plan.files).toEqual([{ path: "envs/dev/values.yaml", content: before }]);
  });

  it("puts back the chart version of the image a revert restores", () => {
    // Arrange: the reverted commit moved both files from 1.0.0-aaaaaaa to 1.1.0-bbbbbbb.
    const bumped = (text: string) => text.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb");
    const revert = anIntent({
      intentId: "rollback",
      kind: "revert",
      target: dependencyTarget,
      tag: "1.1.0-bbbbbbb",
      revertOf: "1".repeat(40),
    });
    const source = {
      configCommit: "1".repeat(40),
      file: "envs/dev/values.yaml",
      before: VALUES,
      after: bumped(VALUES),
    };

    // Act
    const plan = planBatch({
      intents: [revert],
      files: new Map([
        ["envs/dev/values.yaml", bumped(VALUES)],
        ["envs/dev/Chart.yaml", bumped(CHART)],
      ]),
      reverts: new Map([["rollback", source]]),
    });

    // Assert
    expect(plan.files).toEqual([
      { path: "envs/dev/values.yaml", content: VALUES },
      { path: "envs/dev/Chart.yaml", content: CHART },
    ]);
  });
});
