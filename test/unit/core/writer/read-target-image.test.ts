import { describe, expect, it } from "vitest";
import { readTargetImage, sameTargetImage } from "../../../../functions/core/writer/read-target-image.js";

const DIGEST = `sha256:${"d".repeat(64)}`;

describe("readTargetImage", () => {
  it("reads a Helm tag value", () => {
    // Arrange
    const text = "# values\nimage:\n  repository: demo\n  tag: 1.0.0-0123456 # pinned\n";

    // Act
    const image = readTargetImage({
      target: { kind: "helm", file: "values.yaml", path: "image.tag", field: "tag" },
      app: "demo",
      text,
    });

    // Assert
    expect(image).toEqual({ tag: "1.0.0-0123456" });
  });

  it("reads a Helm tag@digest value as both parts", () => {
    // Arrange
    const text = `image:\n  tag: "1.2.0@${DIGEST}"\n`;

    // Act
    const image = readTargetImage({
      target: { kind: "helm", file: "values.yaml", path: "image.tag", field: "tag+digest" },
      app: "demo",
      text,
    });

    // Assert
    expect(image).toEqual({ tag: "1.2.0", digest: DIGEST });
  });

  it("reads a Kustomize images[] entry's newTag and digest", () => {
    // Arrange
    const text = `images:\n  - name: demo\n    newTag: 2.0.0\n    digest: ${DIGEST}\n`;

    // Act
    const image = readTargetImage({
      target: { kind: "kustomize", file: "kustomization.yaml", image: "demo", field: "tag+digest" },
      app: "demo",
      text,
    });

    // Assert
    expect(image).toEqual({ tag: "2.0.0", digest: DIGEST });
  });

  it("reads a marked reference as repository and tag", () => {
    // Arrange
    const text = "spec:\n  image: registry.local:5000/demo:3.1.0 # shipline:image=demo\n";

    // Act
    const image = readTargetImage({
      target: { kind: "marker", file: "deploy.yaml", field: "repository+tag" },
      app: "demo",
      text,
    });

    // Assert
    expect(image).toEqual({ repository: "registry.local:5000/demo", tag: "3.1.0" });
  });

  it("throws the edit's own error when the path is not in the file", () => {
    // Arrange
    const text = "replicas: 2\n";

    // Act
    const read = () =>
      readTargetImage({
        target: { kind: "helm", file: "values.yaml", path: "image.tag", field: "tag" },
        app: "demo",
        text,
      });

    // Assert
    expect(read).toThrow(expect.objectContaining({ code: expect.stringMatching(/^MANIFEST_/) }));
  });
});

describe("sameTargetImage", () => {
  it("compares digests when both know one, else tags", () => {
    // Arrange
    const tagged = { tag: "1.0.0" };

    // Act
    const results = [
      sameTargetImage(tagged, { tag: "1.0.0", digest: DIGEST }),
      sameTargetImage({ tag: "1.0.0", digest: DIGEST }, { tag: "1.0.0", digest: `sha256:${"e".repeat(64)}` }),
      sameTargetImage(tagged, { tag: "1.0.1" }),
    ];

    // Assert
    expect(results).toEqual([true, false, false]);
  });
});
