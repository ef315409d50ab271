import { afterEach, describe, expect, it } from "vitest";
import { ecrImageActionEvent } from "../../../functions/core/contracts/aws/ecr-image-action.js";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import type { ScanTimeoutCheck } from "../../../functions/core/scan/scan-timeout-check.js";
import { createImagePushedHandler } from "../../../functions/handlers/image-pushed.js";
import { readFixture } from "../../read-fixture.js";
import { appOf, commitOf, MemoryRegistry } from "../core/images/image-test-kit.js";
import { handlerDeps, NOW } from "./handler-test-kit.js";
import { lambdaContext } from "./shared/step-test-kit.js";

/** The ECR push fixture, naming the demo app's repository, digest and tag. */
function pushEvent(): Record<string, unknown> {
  const sample = ecrImageActionEvent.parse(readFixture("aws/ecr-image-action.push.json"));
  return {
    ...sample,
    detail: {
      ...sample.detail,
      "repository-name": "demo",
      "image-digest": `sha256:${"a".repeat(64)}`,
      "image-tag": "1.0.0-aaaaaaa",
    },
  };
}

describe("image-pushed", () => {
  let cleanUp: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await cleanUp?.();
    cleanUp = undefined;
  });

  it("announces a pushed image once and arms the scan gate's timeout at push time plus the policy's timeout", async () => {
    // Arrange
    const kit = await handlerDeps("image-pushed");
    cleanUp = kit.cleanUp;
    const registry = new MemoryRegistry();
    registry.add({
      repository: "demo",
      digest: `sha256:${"a".repeat(64)}`,
      tags: ["1.0.0-aaaaaaa"],
      pushedAt: NOW,
      labels: { "org.opencontainers.image.revision": commitOf("b") },
    });
    const scheduled: { check: ScanTimeoutCheck; at: Date }[] = [];
    const handler = createImagePushedHandler({
      ...kit.deps,
      apps: [appOf("demo", "demo", "{version}-{sha7}")],
      registry,
      store: kit.store,
      scanTimeouts: {
        scheduler: { schedule: async (request) => void scheduled.push(request) },
        policy: { timeoutSeconds: 1800 },
      },
    });

    // Act
    await handler(pushEvent(), lambdaContext());
    await handler(pushEvent(), lambdaContext());

    // Assert
    const announced = kit.publisher.published.filter((entry) => entry.DetailType === DetailType.ImagePushed);
    expect(announced).toHaveLength(1);
    expect(JSON.parse(announced[0]?.Detail ?? "{}")).toMatchObject({
      app: "demo",
      commit: commitOf("b"),
      tag: "1.0.0-aaaaaaa",
    });
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.check.detail).toMatchObject({
      app: "demo",
      repository: "demo",
      commit: commitOf("b"),
    });
    expect(scheduled[0]?.at.toISOString()).toBe(new Date(NOW.getTime() + 1800 * 1000).toISOString());
  });

  it("refuses an image its app's accept policy does not let in: Image Refused with the reason, no Image Pushed, no scan timeout", async () => {
    // Arrange
    const kit = await handlerDeps("image-pushed");
    cleanUp = kit.cleanUp;
    const registry = new MemoryRegistry();
    registry.add({
      repository: "demo",
      digest: `sha256:${"a".repeat(64)}`,
      tags: ["1.0.0-aaaaaaa"],
      pushedAt: NOW,
      labels: { "org.opencontainers.image.revision": commitOf("b") },
    });
    const scheduled: unknown[] = [];
    // The configuration's apps, with their source and accept policy.
    const apps = [
      {
        ...appOf("demo", "demo", "{version}-{sha7}"),
        source: { repo: "https://github.com/acme/demo.git" },
        accept: { branches: ["main"] },
      },
    ];
    const handler = createImagePushedHandler({
      ...kit.deps,
      apps,
      registry,
      store: kit.store,
      branches: { branchesContaining: async () => ["feature/login"] },
      scanTimeouts: {
        scheduler: { schedule: async (request) => void scheduled.push(request) },
        policy: { timeoutSeconds: 60 },
      },
    });

    // Act
    const outcome = await handler(pushEvent(), lambdaContext());
    const again = await handler(pushEvent(), lambdaContext());

    // Assert
    expect([outcome?.kind, again?.kind]).toEqual(["refused", "duplicate"]);
    const types = kit.publisher.published.map((entry) => entry.DetailType);
    expect(types).toEqual([DetailType.ImageRefused]);
    expect(JSON.parse(kit.publisher.published[0]?.Detail ?? "{}")).toMatchObject({
      app: "demo",
      commit: commitOf("b"),
      rule: "branches",
      reason: expect.stringContaining(
        "is on branch feature/login only, which accept.branches (main) does not allow",
      ),
    });
    expect(scheduled).toEqual([]);
  });

  it("ignores an image of no configured app, arming nothing", async () => {
    // Arrange
    const kit = await handlerDeps("image-pushed");
    cleanUp = kit.cleanUp;
    const scheduled: unknown[] = [];
    const handler = createImagePushedHandler({
      ...kit.deps,
      apps: [appOf("other", "other")],
      registry: new MemoryRegistry(),
      store: kit.store,
      scanTimeouts: {
        scheduler: { schedule: async (request) => void scheduled.push(request) },
        policy: { timeoutSeconds: 60 },
      },
    });

    // Act
    await handler(pushEvent(), lambdaContext());

    // Assert
    expect(kit.publisher.published).toEqual([]);
    expect(scheduled).toEqual([]);
  });
});
