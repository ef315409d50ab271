import { describe, expect, it } from "vitest";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import {
  type AnnounceImageOptions,
  announceImage,
} from "../../../../functions/core/images/announce-image.js";
import { CORRELATION_LABEL, REVISION_LABEL } from "../../../../functions/core/images/image-labels.js";
import { readKnownImage } from "../../../../functions/core/images/known-image.js";
import type { SourceBranches } from "../../../../functions/core/ports/source-branches.js";
import { InMemoryPublisher } from "../../handlers/shared/step-test-kit.js";
import { appOf, commitOf, digestOf, MemoryRegistry, MemoryStore, manualClock } from "./image-test-kit.js";

function setup() {
  const clock = manualClock("2026-03-01T12:00:00Z");
  const store = new MemoryStore(clock);
  const registry = new MemoryRegistry();
  const publisher = new InMemoryPublisher();
  registry.add({
    repository: "demo",
    digest: digestOf("d"),
    tags: ["1.0.0-aaaaaaa"],
    pushedAt: clock.now(),
    labels: { [REVISION_LABEL]: commitOf("a"), [CORRELATION_LABEL]: "journey-1" },
  });
  const options: AnnounceImageOptions = {
    image: { repository: "demo", digest: digestOf("d"), tags: ["1.0.0-aaaaaaa"] },
    apps: [appOf("demo", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo", "{version}-{sha7}")],
    registry,
    store,
    publisher,
    clock,
    via: "event",
    correlationId: "event-id",
    registryHost: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
  };
  return { clock, store, registry, publisher, options };
}

describe("announceImage", () => {
  it("publishes Image Pushed with the app, the labelled commit and the journey's correlation id, and records the image", async () => {
    // Arrange
    const { store, publisher, options } = setup();

    // Act
    const outcome = await announceImage(options);

    // Assert
    expect(outcome.kind).toBe("announced");
    expect(publisher.details(DetailType.ImagePushed)).toEqual([
      {
        schemaVersion: 1,
        app: "demo",
        commit: commitOf("a"),
        correlationId: "journey-1",
        repository: "demo",
        tag: "1.0.0-aaaaaaa",
        digest: digestOf("d"),
        imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:1.0.0-aaaaaaa@${digestOf("d")}`,
        via: "event",
        commitFrom: "revision-label",
      },
    ]);
    expect(await readKnownImage({ store, repository: "demo", digest: digestOf("d") })).toMatchObject({
      app: "demo",
      commit: commitOf("a"),
      pushedAt: "2026-03-01T12:00:00.000Z",
    });
  });

  it("announces an image once when the event and the sweep both bring it", async () => {
    // Arrange
    const { publisher, options } = setup();

    // Act
    const first = await announceImage(options);
    const second = await announceImage({ ...options, via: "sweep" });

    // Assert
    expect([first.kind, second.kind]).toEqual(["announced", "duplicate"]);
    expect(publisher.details(DetailType.ImagePushed)).toHaveLength(1);
  });

  it("releases its claim when publishing fails, so that the retry announces the image", async () => {
    // Arrange
    const { publisher, options } = setup();
    publisher.failWith = new Error("bus unavailable");

    // Act
    const failed = announceImage(options);
    await expect(failed).rejects.toThrow("bus unavailable");
    publisher.failWith = undefined;
    const retried = await announceImage(options);

    // Assert
    expect(retried.kind).toBe("announced");
  });

  it("tells that another announcer is at work while its claim lives, and takes over once it expired", async () => {
    // Arrange
    const { clock, store, options } = setup();
    store.failPutsOn = (key) => key.sk === "image";
    await expect(announceImage(options)).rejects.toThrow("store unavailable");
    store.failPutsOn = undefined;
    await store.put(
      "images",
      { pk: `image#demo@${digestOf("d")}`, sk: "announce-claim" },
      {},
      {
        ifAbsent: true,
        expiresAt: new Date(clock.now().getTime() + 300_000),
      },
    );

    // Act
    const during = await announceImage(options);
    clock.advance(301);
    const after = await announceImage(options);

    // Assert
    expect(during.kind).toBe("in-progress");
    expect(after.kind).toBe("announced");
  });

  it("takes over at once a claim the same event left, and waits out another event's", async () => {
    // Arrange: an attempt at event-1 claimed the image and died before it published.
    const { store, publisher, options } = setup();
    await store.put(
      "images",
      { pk: `image#demo@${digestOf("d")}`, sk: "announce-claim" },
      { via: "event", claimedAt: "2026-03-01T11:59:59Z", claimant: "event-1" },
      { ifAbsent: true, expiresAt: new Date("2026-03-01T12:05:00Z") },
    );

    // Act
    const other = await announceImage({ ...options, claimant: "event-2" });
    const again = await announceImage({ ...options, claimant: "event-1" });

    // Assert
    expect(other.kind).toBe("in-progress");
    expect(again.kind).toBe("announced");
    expect(publisher.details(DetailType.ImagePushed)).toHaveLength(1);
  });

  it("ignores an image of a repository no app builds without reading the registry", async () => {
    // Arrange
    const { registry, publisher, options } = setup();

    // Act
    const outcome = await announceImage({ ...options, image: { ...options.image, repository: "other" } });

    // Assert
    expect(outcome).toMatchObject({ kind: "ignored", reason: expect.stringContaining("'other'") });
    expect(registry.labelReads).toBe(0);
    expect(publisher.published).toEqual([]);
  });

  it("ignores an image whose commit cannot be told, with the reason", async () => {
    // Arrange
    const { registry, publisher, options } = setup();
    registry.add({
      repository: "demo",
      digest: digestOf("e"),
      tags: ["1.0.0-bbbbbbb"],
      pushedAt: new Date(),
    });

    // Act
    const outcome = await announceImage({
      ...options,
      image: { repository: "demo", digest: digestOf("e"), tags: ["1.0.0-bbbbbbb"] },
    });

    // Assert
    expect(outcome).toMatchObject({
      kind: "ignored",
      app: "demo",
      reason: expect.stringContaining(REVISION_LABEL),
    });
    expect(publisher.published).toEqual([]);
  });

  it("ignores an image deleted before it was looked at", async () => {
    // Arrange
    const { registry, options } = setup();
    registry.images.length = 0;

    // Act
    const outcome = await announceImage(options);

    // Assert
    expect(outcome).toMatchObject({
      kind: "ignored",
      reason: expect.stringContaining("no longer in the registry"),
    });
  });

  describe("with the app's acceptance policy", () => {
    const REPO = "https://github.com/acme/demo.git";
    const featureOnly: SourceBranches = {
      branchesContaining: async (repo, commit) =>
        repo === REPO && commit === commitOf("a") ? ["feature/x"] : [],
    };
    const onMain: SourceBranches = { branchesContaining: async () => ["main"] };
    const guarded = (options: AnnounceImageOptions, branches: SourceBranches): AnnounceImageOptions => ({
      ...options,
      apps: options.apps.map((app) => ({ ...app, source: { repo: REPO }, accept: { branches: ["main"] } })),
      branches,
    });

    it("publishes Image Refused with the rule and the reason, and leaves the image unknown to the scan gate", async () => {
      // Arrange
      const { store, publisher, options } = setup();

      // Act
      const outcome = await announceImage(guarded(options, featureOnly));

      // Assert
      expect(outcome.kind).toBe("refused");
      expect(publisher.details(DetailType.ImagePushed)).toEqual([]);
      expect(publisher.details(DetailType.ImageRefused)).toEqual([
        {
          schemaVersion: 1,
          app: "demo",
          commit: commitOf("a"),
          correlationId: "journey-1",
          repository: "demo",
          tag: "1.0.0-aaaaaaa",
          digest: digestOf("d"),
          imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:1.0.0-aaaaaaa@${digestOf("d")}`,
          via: "event",
          commitFrom: "revision-label",
          rule: "branches",
          reason:
            "commit aaaaaaa is on branch feature/x only, which accept.branches (main) does not allow; build the image from an allowed branch (merge it first), or add its branch to accept.branches",
        },
      ]);
      expect(await readKnownImage({ store, repository: "demo", digest: digestOf("d") })).toBeUndefined();
    });

    it("refuses an image once when the event and the sweep both bring it", async () => {
      // Arrange
      const { publisher, options } = setup();
      const refusing = guarded(options, featureOnly);

      // Act
      const first = await announceImage(refusing);
      const second = await announceImage({ ...refusing, via: "sweep" });

      // Assert
      expect([first.kind, second.kind]).toEqual(["refused", "duplicate"]);
      expect(publisher.details(DetailType.ImageRefused)).toHaveLength(1);
    });

    it("announces an image the policy accepts as any other", async () => {
      // Arrange
      const { publisher, options } = setup();

      // Act
      const outcome = await announceImage(guarded(options, onMain));

      // Assert
      expect(outcome.kind).toBe("announced");
      expect(publisher.details(DetailType.ImageRefused)).toEqual([]);
    });

    it("releases the claim when Image Refused cannot be published, so the retry refuses it", async () => {
      // Arrange
      const { publisher, options } = setup();
      const refusing = guarded(options, featureOnly);
      publisher.failWith = new Error("bus down");

      // Act
      const failed = announceImage(refusing);
      await expect(failed).rejects.toThrow("bus down");
      publisher.failWith = undefined;
      const retried = await announceImage(refusing);

      // Assert
      expect(retried.kind).toBe("refused");
      expect(publisher.details(DetailType.ImageRefused)).toHaveLength(1);
    });
  });
});
