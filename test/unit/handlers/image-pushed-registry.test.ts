import { afterEach, describe, expect, it } from "vitest";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import { createImagePushedHandler } from "../../../functions/handlers/image-pushed.js";
import { appOf, commitOf, MemoryRegistry } from "../core/images/image-test-kit.js";
import { handlerDeps, NOW } from "./handler-test-kit.js";
import { lambdaContext } from "./shared/step-test-kit.js";

const DIGEST = `sha256:${"c".repeat(64)}`;

/** `Registry Image Pushed` as the webhook publishes it for an image of ghcr.io. */
function announced(registry = "ghcr.io"): Record<string, unknown> {
  return {
    version: "0",
    id: "5e0c9c2a-0b7e-4f0e-9a44-2f1c7f0a6d11",
    "detail-type": "Registry Image Pushed",
    source: "shipline.registry",
    account: "123456789012",
    time: NOW.toISOString(),
    region: "eu-west-1",
    resources: [],
    detail: {
      registry,
      repository: "acme/api",
      digest: DIGEST,
      tags: ["1.4.2-ccccccc"],
      announcedBy: "publish",
      deliveryId: "ci-run-42",
      occurredAt: NOW.toISOString(),
    },
  };
}

describe("image-pushed with an image announced from a registry of kind oci", () => {
  let cleanUp: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await cleanUp?.();
    cleanUp = undefined;
  });

  it("reads the image's labels from its registry and announces it with the registry's host in imageUri", async () => {
    // Arrange
    const kit = await handlerDeps("image-pushed");
    cleanUp = kit.cleanUp;
    const ghcr = new MemoryRegistry();
    ghcr.add({
      repository: "acme/api",
      digest: DIGEST,
      tags: ["1.4.2-ccccccc"],
      pushedAt: NOW,
      labels: { "org.opencontainers.image.revision": commitOf("c") },
    });
    const app = appOf("api", "ghcr.io/acme/api", "{version}-{sha7}");
    const handler = createImagePushedHandler({
      ...kit.deps,
      apps: [],
      registry: new MemoryRegistry(),
      store: kit.store,
      registries: (host) => (host === "ghcr.io" ? { apps: [app], registry: ghcr } : undefined),
    });

    // Act
    await handler(announced(), lambdaContext());

    // Assert
    const pushed = kit.publisher.published.filter((entry) => entry.DetailType === DetailType.ImagePushed);
    expect(pushed.map((entry) => JSON.parse(entry.Detail ?? "{}"))).toEqual([
      expect.objectContaining({
        app: "api",
        commit: commitOf("c"),
        digest: DIGEST,
        imageUri: `ghcr.io/acme/api:1.4.2-ccccccc@${DIGEST}`,
      }),
    ]);
  });

  it("announces nothing for a registry the configuration does not name, and says why", async () => {
    // Arrange
    const kit = await handlerDeps("image-pushed");
    cleanUp = kit.cleanUp;
    const handler = createImagePushedHandler({
      ...kit.deps,
      apps: [],
      registry: new MemoryRegistry(),
      store: kit.store,
      registries: () => undefined,
    });

    // Act
    const outcome = await handler(announced("quay.io"), lambdaContext());

    // Assert
    expect(outcome).toMatchObject({ kind: "ignored" });
    expect(outcome?.kind === "ignored" && outcome.reason).toContain(
      "quay.io is not a registry of the configuration",
    );
    expect(kit.publisher.published).toEqual([]);
  });
});
