import { describe, expect, it } from "vitest";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import { announceImage } from "../../../../functions/core/images/announce-image.js";
import { REVISION_LABEL } from "../../../../functions/core/images/image-labels.js";
import { sweepImages } from "../../../../functions/core/images/sweep-images.js";
import { readSweepWatermark } from "../../../../functions/core/images/sweep-watermark.js";
import { InMemoryPublisher } from "../../handlers/shared/step-test-kit.js";
import { appOf, commitOf, digestOf, MemoryRegistry, MemoryStore, manualClock } from "./image-test-kit.js";

describe("sweepImages", () => {
  it("announces the image whose event was lost, skips the one already announced, and stores the watermark", async () => {
    // Arrange
    const clock = manualClock("2026-03-01T12:00:00Z");
    const store = new MemoryStore(clock);
    const registry = new MemoryRegistry();
    const publisher = new InMemoryPublisher();
    const apps = [appOf("demo", "demo")];
    for (const char of ["a", "b"]) {
      registry.add({
        repository: "demo",
        digest: digestOf(char),
        tags: [commitOf(char)],
        pushedAt: new Date("2026-03-01T11:50:00Z"),
        labels: { [REVISION_LABEL]: commitOf(char) },
      });
    }
    const context = { apps, registry, store, publisher, clock };
    await announceImage({
      ...context,
      image: { repository: "demo", digest: digestOf("a"), tags: [commitOf("a")] },
      via: "event",
      correlationId: "e1",
    });

    // Act
    const [sweep] = await sweepImages({ ...context, registryHost: "127.0.0.1:5000" });
    const again = await sweepImages(context);

    // Assert
    expect(sweep?.outcomes.map(({ digest, outcome }) => [digest, outcome.kind])).toEqual([
      [digestOf("b"), "announced"],
    ]);
    expect(publisher.details(DetailType.ImagePushed)).toEqual([
      expect.objectContaining({ commit: commitOf("a"), via: "event" }),
      expect.objectContaining({
        commit: commitOf("b"),
        via: "sweep",
        correlationId: `demo@${digestOf("b")}`,
      }),
    ]);
    expect(again[0]?.outcomes).toEqual([]);
    expect((await readSweepWatermark({ store, repository: "demo" }))?.toISOString()).toBe(
      "2026-03-01T11:58:00.000Z",
    );
  });

  it("keeps the watermark when an announcement fails, so that the next run tries the image again", async () => {
    // Arrange
    const clock = manualClock("2026-03-01T12:00:00Z");
    const store = new MemoryStore(clock);
    const registry = new MemoryRegistry();
    const publisher = new InMemoryPublisher();
    registry.add({
      repository: "demo",
      digest: digestOf("c"),
      tags: [commitOf("c")],
      pushedAt: new Date("2026-03-01T11:50:00Z"),
    });
    publisher.failWith = new Error("bus unavailable");
    const context = { apps: [appOf("demo", "demo")], registry, store, publisher, clock };

    // Act
    await expect(sweepImages(context)).rejects.toThrow("bus unavailable");
    publisher.failWith = undefined;
    const [retried] = await sweepImages(context);

    // Assert
    expect(retried?.outcomes.map(({ outcome }) => outcome.kind)).toEqual(["announced"]);
  });
});
