import { describe, expect, it } from "vitest";
import { argoCdApplication } from "../../../../functions/core/agent/argocd-application.js";
import { holdsRequestedImage } from "../../../../functions/core/agent/holds-requested-image.js";

const DIGEST = `sha256:${"b".repeat(64)}`;

/** An Application whose `status.summary.images` lists the given references. */
function running(...images: string[]) {
  return argoCdApplication.parse({ metadata: { name: "demo-staging" }, status: { summary: { images } } });
}

describe("holdsRequestedImage", () => {
  it.each([
    ["a reference ending in the tag", "127.0.0.1:5000/demo:1.0.0-abcdef1", { tag: "1.0.0-abcdef1" }],
    ["a reference ending in the digest", `127.0.0.1:5000/demo@${DIGEST}`, { digest: DIGEST }],
    [
      "a reference with tag and digest",
      `registry.local/demo:1.0.0-abcdef1@${DIGEST}`,
      { tag: "1.0.0-abcdef1" },
    ],
  ])("finds the requested image in %s", (_title, image, requested) => {
    // Act
    const holds = holdsRequestedImage(running("docker.io/library/redis:7", image), requested);

    // Assert
    expect(holds).toBe(true);
  });

  it("does not take another tag that merely ends like the requested one, nor a registry port, for it", () => {
    // Act
    const holds = holdsRequestedImage(running("registry.local/demo:11.0", "localhost:1.0/demo"), {
      tag: "1.0",
    });

    // Assert
    expect(holds).toBe(false);
  });

  it("cannot tell when the request names neither a tag nor a digest", () => {
    // Act
    const holds = holdsRequestedImage(running("registry.local/demo:1.0"), {});

    // Assert
    expect(holds).toBeUndefined();
  });
});
