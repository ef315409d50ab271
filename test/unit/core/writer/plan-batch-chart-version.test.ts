import { describe, expect, it } from "vitest";
import { planBatch } from "../../../../functions/core/writer/plan-batch.js";
import type { WriteIntentInput } from "../../../../functions/core/writer/write-intent.js";
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

  it("leaves the chart version alone when the reverted commit did not change it, even for a SemVer tag", () => {
    // Arrange: the image restored predates the chart; its SemVer tag names no chart any build pushed.
    const before = VALUES.replace("1.0.0-aaaaaaa", "0.9.0-ccccccc");
    const after = VALUES.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb");
    const chart = CHART.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb");
    const revert = aRevert(dependencyTarget);

    // Act
    const plan = planBatch({
      intents: [revert],
      files: new Map([
        ["envs/dev/values.yaml", after],
        ["envs/dev/Chart.yaml", chart],
      ]),
      reverts: new Map([
        [
          "rollback",
          {
            configCommit: "1".repeat(40),
            file: "envs/dev/values.yaml",
            before,
            after,
            chart: { before: chart, after: chart },
          },
        ],
      ]),
    });

    // Assert
    expect(plan.intents.map((entry) => entry.status)).toEqual(["changed"]);
    expect(plan.files).toEqual([{ path: "envs/dev/values.yaml", content: before }]);
  });

  it("puts back the chart version the reverted commit replaced, not the restored image's tag", () => {
    // Arrange: the reverted commit moved the image from 0.9.0-ccccccc and the chart from 1.0.0-aaaaaaa.
    const before = VALUES.replace("1.0.0-aaaaaaa", "0.9.0-ccccccc");
    const after = VALUES.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb");
    const bumped = CHART.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb");
    const source = {
      configCommit: "1".repeat(40),
      file: "envs/dev/values.yaml",
      before,
      after,
      chart: { before: CHART, after: bumped },
    };

    // Act
    const plan = planBatch({
      intents: [aRevert(dependencyTarget)],
      files: new Map([
        ["envs/dev/values.yaml", after],
        ["envs/dev/Chart.yaml", bumped],
      ]),
      reverts: new Map([["rollback", source]]),
    });

    // Assert
    expect(plan.files).toEqual([
      { path: "envs/dev/values.yaml", content: before },
      { path: "envs/dev/Chart.yaml", content: CHART },
    ]);
  });

  it("puts back the chart version when the target writes the image's digest", () => {
    // Arrange: an Application whose values hold the digest; the reverted commit moved both.
    const target = {
      kind: "helm" as const,
      file: "apps/demo-dev.yaml",
      path: "spec.source.helm.valuesObject.image.digest",
      field: "digest" as const,
      chartVersion: { path: "spec.source.targetRevision" },
    };
    const withDigest = (digit: string, version: string) =>
      APPLICATION.replace("tag: 1.0.0-aaaaaaa", `digest: sha256:${digit.repeat(64)}`).replace(
        "1.0.0-aaaaaaa",
        version,
      );
    const before = withDigest("a", "1.0.0-aaaaaaa");
    const after = withDigest("b", "1.1.0-bbbbbbb");

    // Act
    const plan = planBatch({
      intents: [aRevert(target)],
      files: new Map([["apps/demo-dev.yaml", after]]),
      reverts: new Map([
        ["rollback", { configCommit: "1".repeat(40), file: "apps/demo-dev.yaml", before, after }],
      ]),
    });

    // Assert
    expect(plan.intents.map((entry) => entry.status)).toEqual(["changed"]);
    expect(plan.files).toEqual([{ path: "apps/demo-dev.yaml", content: before }]);
  });
});

function aRevert(target: WriteIntentInput["target"]) {
  return anIntent({
    intentId: "rollback",
    kind: "revert",
    target,
    tag: "1.1.0-bbbbbbb",
    revertOf: "1".repeat(40),
  });
}
