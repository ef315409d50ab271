import { describe, expect, it } from "vitest";
import { completeTag, renderBuildTag } from "../../../../functions/core/build/build-tag.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { SHA } from "./build-test-kit.js";

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof ShiplineError) return error.code;
    throw error;
  }
  return undefined;
}

describe("renderBuildTag", () => {
  it("renders a template whose values are all known", () => {
    // Act
    const tag = renderBuildTag({ template: "{branch}-{sha7}", sha: SHA, branch: "feature/Login#2" });

    // Assert
    expect(tag).toEqual({ kind: "rendered", tag: "feature-Login-2-0123456" });
  });

  it("leaves {version} for the build when no version is given", () => {
    // Act
    const tag = renderBuildTag({ template: "{version}-{sha7}", sha: SHA });

    // Assert
    expect(tag).toEqual({ kind: "pending", template: "{version}-0123456", pending: ["version"] });
  });

  it("leaves {build} and {version} for the build together", () => {
    // Act
    const tag = renderBuildTag({ template: "v{version}.{build}-{sha}", sha: SHA });

    // Assert
    expect(tag).toEqual({
      kind: "pending",
      template: `v{version}.{build}-${SHA}`,
      pending: ["version", "build"],
    });
  });

  it("fills in {version} and {build} when they are given", () => {
    // Act
    const tag = renderBuildTag({
      template: "{version}-{build}-{sha7}",
      sha: SHA,
      version: "1.4.0+exp",
      build: 12,
    });

    // Assert
    expect(tag).toEqual({ kind: "rendered", tag: "1.4.0_exp-12-0123456" });
  });

  it.each(["latest", "{branch}", "{sha7}:{branch}", "-{sha}"])("refuses the template %s", (template) => {
    // Act
    const code = codeOf(() => renderBuildTag({ template, sha: SHA, branch: "main" }));

    // Assert
    expect(code).toBe("TAG_INVALID");
  });
});

describe("completeTag", () => {
  it("fills in the version and the build number", () => {
    // Act
    const tag = completeTag({ template: "{version}-{build}-0123456", version: "2.0.0+meta", build: 7 });

    // Assert
    expect(tag).toBe("2.0.0_meta-7-0123456");
  });

  it("refuses a version with characters a tag cannot hold", () => {
    // Act
    const code = codeOf(() => completeTag({ template: "{version}-0123456", version: "1.0 beta" }));

    // Assert
    expect(code).toBe("TAG_INVALID");
  });

  it("refuses a missing build number", () => {
    // Act
    const code = codeOf(() => completeTag({ template: "{build}-0123456" }));

    // Assert
    expect(code).toBe("TAG_INVALID");
  });

  it("refuses a tag that grows past 128 characters", () => {
    // Act
    const code = codeOf(() => completeTag({ template: `{version}-${SHA}`, version: "1".repeat(100) }));

    // Assert
    expect(code).toBe("TAG_INVALID");
  });
});
