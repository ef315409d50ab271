import { describe, expect, it } from "vitest";
import type { CommitPushed } from "../../../../functions/core/contracts/events/commit-pushed.js";
import { renderCommitMessage } from "../../../../functions/core/writer/commit-message.js";
import { personChangeEvents } from "../../../../functions/core/writer/person-change-events.js";
import { findPersonChanges } from "../../../../functions/core/writer/person-changes.js";
import { testConfig } from "../promotion/promotion-test-kit.js";
import { anIntent } from "./intent-fixtures.js";
import { MemoryConfigRepository } from "./memory-config-repository.js";

const VALUES = (tag: string) => `image:\n  repository: shop\n  tag: ${tag}\n`;
const CONFIG = testConfig();

/** A push of the config branch from `before` to `after`, listing the commits it brought. */
function pushOf(before: string, after: string, commits: readonly string[]): CommitPushed {
  return {
    schemaVersion: 1,
    app: null,
    commit: after,
    correlationId: "github:config-push",
    provider: "github",
    repository: { name: "deploy", fullName: "acme/deploy", url: "https://github.com/acme/deploy.git" },
    ref: "refs/heads/main",
    refType: "branch",
    refName: "main",
    before,
    after,
    forced: false,
    commits: commits.map((id) => ({ id, message: "", added: [], modified: [], removed: [] })),
    commitsTruncated: false,
    pathsKnown: true,
    pusher: { name: "alice" },
    deliveryId: "config-push",
  };
}

describe("findPersonChanges", () => {
  it("finds a person's commit that changed a deploy target, with the image before and after", async () => {
    // Arrange: Shipline wrote v2 with its trailers, then a person put v1 back by hand.
    const repo = new MemoryConfigRepository({ "envs/dev/values.yaml": VALUES("v1") });
    const base = repo.remoteHead;
    const shipline = repo.pushOther(
      { "envs/dev/values.yaml": VALUES("v2") },
      renderCommitMessage({ intents: [anIntent({ app: "shop", tag: "v2" })] }),
    );
    const person = repo.pushOther({ "envs/dev/values.yaml": VALUES("v1") }, 'Revert "deploy(dev): shop v2"');

    // Act
    const { changes } = await findPersonChanges({
      push: pushOf(base, person, [shipline, person]),
      config: CONFIG,
      repo,
    });

    // Assert
    expect(changes).toEqual([
      expect.objectContaining({
        app: "shop",
        environment: "dev",
        configCommit: person,
        kind: "revert",
        subject: 'Revert "deploy(dev): shop v2"',
        from: expect.objectContaining({ tag: "v2", digest: `sha256:${"a".repeat(64)}` }),
        to: expect.objectContaining({ tag: "v1" }),
      }),
    ]);
  });

  it("leaves Shipline's own commits alone, and commits the push did not bring", async () => {
    // Arrange: a person's change pushed long ago, then a push of a Shipline commit only.
    const repo = new MemoryConfigRepository({ "envs/dev/values.yaml": VALUES("v1") });
    const earlier = repo.pushOther({ "envs/dev/values.yaml": VALUES("v0") }, "pin by hand");
    const shipline = repo.pushOther(
      { "envs/dev/values.yaml": VALUES("v3") },
      renderCommitMessage({ intents: [anIntent({ app: "shop", tag: "v3" })] }),
    );

    // Act
    const { changes } = await findPersonChanges({
      push: pushOf(earlier, shipline, [shipline]),
      config: CONFIG,
      repo,
    });

    // Assert
    expect(changes).toEqual([]);
  });

  it("places the hold on the image the person took out, by its digest", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ "envs/dev/values.yaml": VALUES("v1") });
    const base = repo.remoteHead;
    const shipline = repo.pushOther(
      { "envs/dev/values.yaml": VALUES("v2") },
      renderCommitMessage({ intents: [anIntent({ app: "shop", tag: "v2" })] }),
    );
    const person = repo.pushOther({ "envs/dev/values.yaml": VALUES("v1") }, "Pin dev to v1");
    const { changes } = await findPersonChanges({
      push: pushOf(base, person, [shipline, person]),
      config: CONFIG,
      repo,
    });

    // Act
    const events = personChangeEvents({ changes, config: CONFIG, time: new Date("2026-03-01T12:00:00Z") });

    // Assert
    expect(events.map((event) => event.detailType)).toEqual(["Hold Placed", "Config Committed"]);
    expect(events[0]?.detail).toMatchObject({
      placedBy: "unknown",
      reason: "Pin dev to v1",
      digest: `sha256:${"a".repeat(64)}`,
      commit: "0123456789abcdef0123456789abcdef01234567",
    });
    expect(events[1]?.detail).toMatchObject({
      by: "person",
      kind: "update",
      tag: "v1",
      replaced: { tag: "v2" },
    });
  });
});
