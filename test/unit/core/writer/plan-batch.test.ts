import { describe, expect, it } from "vitest";
import { planBatch } from "../../../../functions/core/writer/plan-batch.js";
import { targetEdit } from "../../../../functions/core/writer/target-edit.js";
import { anIntent, VALUES } from "./intent-fixtures.js";

const KUSTOMIZATION = "resources:\n  - deploy.yaml\nimages:\n  - name: demo # the app\n    newTag: v1\n";

describe("planBatch", () => {
  it("applies intents in order on one file so the later image wins, keeping comments", () => {
    // Arrange
    const files = new Map([["envs/dev/values.yaml", VALUES]]);
    const intents = [anIntent({ intentId: "a", tag: "v2" }), anIntent({ intentId: "b", tag: "v3" })];

    // Act
    const plan = planBatch({ intents, files });

    // Assert
    expect(plan.files).toEqual([
      { path: "envs/dev/values.yaml", content: VALUES.replace("tag: v1", "tag: v3") },
    ]);
    expect(plan.intents.map((entry) => entry.status)).toEqual(["changed", "changed"]);
  });

  it("reverts only the failed target when the reverted commit changed two apps in one file", () => {
    // Arrange: one config commit bumped web and api in a shared values file; web failed.
    const before = "web:\n  image:\n    tag: w1\napi:\n  image:\n    tag: a1\n";
    const after = "web:\n  image:\n    tag: w2\napi:\n  image:\n    tag: a2\n";
    const revert = anIntent({
      intentId: "rollback-web",
      kind: "revert",
      app: "web",
      target: { kind: "helm", file: "envs/dev/values.yaml", path: "web.image.tag" },
      tag: "w2",
      revertOf: "1".repeat(40),
    });
    const source = { configCommit: "1".repeat(40), file: "envs/dev/values.yaml", before, after };

    // Act
    const plan = planBatch({
      intents: [revert],
      files: new Map([["envs/dev/values.yaml", after]]),
      reverts: new Map([["rollback-web", source]]),
    });

    // Assert
    expect(plan.files).toEqual([
      { path: "envs/dev/values.yaml", content: "web:\n  image:\n    tag: w1\napi:\n  image:\n    tag: a2\n" },
    ]);
  });

  it("reports an intent whose value is already in the file as unchanged and plans no file", () => {
    // Arrange
    const files = new Map([["envs/dev/values.yaml", VALUES]]);

    // Act
    const plan = planBatch({ intents: [anIntent({ tag: "v1" })], files });

    // Assert
    expect(plan.files).toEqual([]);
    expect(plan.intents).toEqual([expect.objectContaining({ status: "unchanged", changes: [] })]);
  });

  it("plans no file when a later intent of the batch puts back the value an earlier one changed", () => {
    // Arrange
    const files = new Map([["envs/dev/values.yaml", VALUES]]);
    const intents = [anIntent({ intentId: "a", tag: "v2" }), anIntent({ intentId: "b", tag: "v1" })];

    // Act
    const plan = planBatch({ intents, files });

    // Assert
    expect(plan.files).toEqual([]);
  });

  it("fails only the intent that cannot be applied and plans the others", () => {
    // Arrange
    const files = new Map<string, string | undefined>([
      ["envs/dev/values.yaml", VALUES],
      ["envs/gone.yaml", undefined],
      ["overlays/dev/kustomization.yaml", KUSTOMIZATION],
    ]);
    const intents = [
      anIntent({ intentId: "missing", target: { kind: "helm", file: "envs/gone.yaml", path: "image.tag" } }),
      anIntent({
        intentId: "bad-path",
        target: { kind: "helm", file: "envs/dev/values.yaml", path: "nope.tag" },
      }),
      anIntent({
        intentId: "kustomize",
        target: { kind: "kustomize", file: "overlays/dev/kustomization.yaml", image: "demo" },
      }),
    ];

    // Act
    const plan = planBatch({ intents, files });

    // Assert
    expect(plan.intents.map((entry) => [entry.intent.intentId, entry.status])).toEqual([
      ["missing", "failed"],
      ["bad-path", "failed"],
      ["kustomize", "changed"],
    ]);
    const [missing, badPath] = plan.intents;
    expect(missing?.status === "failed" && missing.error.code).toBe("WRITER_FILE_NOT_FOUND");
    expect(badPath?.status === "failed" && badPath.error.code).toBe("MANIFEST_PATH_NOT_FOUND");
    expect(plan.files).toEqual([
      { path: "overlays/dev/kustomization.yaml", content: KUSTOMIZATION.replace("newTag: v1", "newTag: v2") },
    ]);
  });
});

describe("targetEdit", () => {
  const image = { repository: "registry.local/team/demo", tag: "v2", digest: `sha256:${"b".repeat(64)}` };

  it("writes tag@digest into the Helm value for a tag+digest target", () => {
    // Arrange
    const target = { kind: "helm" as const, file: "v.yaml", path: "image.tag", field: "tag+digest" as const };

    // Act
    const edit = targetEdit({ target, app: "demo", image });

    // Assert
    expect(edit).toEqual({ kind: "scalar", path: "image.tag", value: `v2@sha256:${"b".repeat(64)}` });
  });

  it("names the Kustomize image after the repository when the target names none", () => {
    // Arrange
    const target = { kind: "kustomize" as const, file: "k.yaml", field: "repository+tag" as const };

    // Act
    const edit = targetEdit({ target, app: "demo", image });

    // Assert
    expect(edit).toEqual({
      kind: "kustomize",
      name: "team/demo",
      field: "newName+newTag",
      image: { repository: "registry.local/team/demo", tag: "v2" },
    });
  });

  it("uses the app as the marker name by default", () => {
    // Arrange
    const target = { kind: "marker" as const, file: "d.yaml", field: "digest" as const };

    // Act
    const edit = targetEdit({ target, app: "demo", image });

    // Assert
    expect(edit).toEqual({ kind: "marker", marker: "demo", image: { digest: image.digest } });
  });
});
