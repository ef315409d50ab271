import { describe, expect, it } from "vitest";
import {
  formatImageReference,
  parseImageReference,
  updateImageReference,
} from "../../../../functions/core/manifest/index.js";

const OLD = `sha256:${"11".repeat(32)}`;
const NEW = `sha256:${"22".repeat(32)}`;

describe("parseImageReference", () => {
  it.each([
    ["nginx", { repository: "nginx" }],
    ["localhost:5000/app", { repository: "localhost:5000/app" }],
    ["localhost:5000/app:v1", { repository: "localhost:5000/app", tag: "v1" }],
    [`ghcr.io/a/b@${OLD}`, { repository: "ghcr.io/a/b", digest: OLD }],
    [`ghcr.io/a/b:v1@${OLD}`, { repository: "ghcr.io/a/b", tag: "v1", digest: OLD }],
  ])("splits %s", (reference, expected) => {
    // Arrange / Act
    const parsed = parseImageReference(reference);

    // Assert
    expect(parsed).toEqual(expected);
    expect(formatImageReference(parsed)).toBe(reference);
  });
});

describe("updateImageReference", () => {
  it("drops the old digest when only the tag changes", () => {
    // Arrange / Act
    const next = updateImageReference(`ghcr.io/a/b:v1@${OLD}`, { tag: "v2" });

    // Assert
    expect(next).toBe("ghcr.io/a/b:v2");
  });

  it("keeps the tag when only the digest changes", () => {
    // Arrange / Act
    const next = updateImageReference(`ghcr.io/a/b:v1@${OLD}`, { digest: NEW });

    // Assert
    expect(next).toBe(`ghcr.io/a/b:v1@${NEW}`);
  });

  it("replaces the repository when one is given", () => {
    // Arrange / Act
    const next = updateImageReference("docker.io/library/nginx:1.25", {
      repository: "ghcr.io/mirror/nginx",
      tag: "1.27",
    });

    // Assert
    expect(next).toBe("ghcr.io/mirror/nginx:1.27");
  });
});
