import { describe, expect, it } from "vitest";
import { REVISION_LABEL } from "../../../../functions/core/images/image-labels.js";
import { resolveImageCommit } from "../../../../functions/core/images/resolve-image-commit.js";
import { commitOf } from "./image-test-kit.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("resolveImageCommit", () => {
  it("takes the commit from the revision label and picks the tag that fits it", () => {
    // Arrange
    const labels = { [REVISION_LABEL]: SHA };

    // Act
    const found = resolveImageCommit({
      labels,
      tags: ["other", "1.4.0-0123456"],
      tagTemplate: "{version}-{sha7}",
    });

    // Assert
    expect(found).toEqual({ kind: "found", commit: SHA, from: "revision-label", tag: "1.4.0-0123456" });
  });

  it("reads an upper-case revision label as the same commit", () => {
    // Act
    const found = resolveImageCommit({
      labels: { [REVISION_LABEL]: SHA.toUpperCase() },
      tags: ["x"],
      tagTemplate: "{sha}",
    });

    // Assert
    expect(found).toMatchObject({ kind: "found", commit: SHA, tag: "x" });
  });

  it("parses the full commit back from a tag when there is no label", () => {
    // Act
    const found = resolveImageCommit({ labels: {}, tags: [`main-${SHA}`], tagTemplate: "{branch}-{sha}" });

    // Assert
    expect(found).toEqual({ kind: "found", commit: SHA, from: "tag-template", tag: `main-${SHA}` });
  });

  it("falls back to the tag when the label holds a short sha", () => {
    // Act
    const found = resolveImageCommit({
      labels: { [REVISION_LABEL]: "0123456" },
      tags: [SHA],
      tagTemplate: "{sha}",
    });

    // Assert
    expect(found).toMatchObject({ kind: "found", from: "tag-template", commit: SHA });
  });

  it("does not guess a commit from a tag that only holds the short sha", () => {
    // Act
    const found = resolveImageCommit({
      labels: {},
      tags: ["1.4.0-0123456"],
      tagTemplate: "{version}-{sha7}",
    });

    // Assert
    expect(found.kind).toBe("unknown");
    expect(found.kind === "unknown" && found.reason).toContain("gives only a short sha");
  });

  it("refuses tags that name different commits", () => {
    // Act
    const found = resolveImageCommit({
      labels: {},
      tags: [commitOf("a"), commitOf("b")],
      tagTemplate: "{sha}",
    });

    // Assert
    expect(found.kind === "unknown" && found.reason).toContain("name different commits");
  });

  it("explains a tag that does not fit the template", () => {
    // Act
    const found = resolveImageCommit({ labels: {}, tags: ["latest-build"], tagTemplate: "{sha}" });

    // Assert
    expect(found.kind === "unknown" && found.reason).toMatch(
      /'latest-build' does not fit the template '\{sha\}'/,
    );
  });

  it("never announces an untagged image, even with a label", () => {
    // Act
    const found = resolveImageCommit({ labels: { [REVISION_LABEL]: SHA }, tags: [], tagTemplate: "{sha}" });

    // Assert
    expect(found.kind === "unknown" && found.reason).toContain("has no tag");
  });
});
