import { describe, expect, it } from "vitest";
import {
  type CommitPushed,
  commitPushedDetail,
} from "../../../../functions/core/contracts/events/commit-pushed.js";
import { renderCommitMessage } from "../../../../functions/core/writer/commit-message.js";
import { mergedProposals } from "../../../../functions/core/writer/merged-proposals.js";
import { testConfig } from "../promotion/promotion-test-kit.js";
import { anIntent } from "./intent-fixtures.js";

const TIME = new Date("2026-03-01T12:00:00Z");
const MERGE = "e".repeat(40);
const config = testConfig();

function stagingIntent(intentId: string, tag: string) {
  return anIntent({
    intentId,
    app: "shop",
    environment: "staging",
    mode: "pull-request",
    correlationId: `corr-${intentId}`,
    target: { kind: "helm", file: "envs/staging/values.yaml", path: "image.tag" },
    tag,
  });
}

/** A push of `messages` (oldest first) to the config repository, as the webhook step publishes it. */
function aPush(messages: readonly string[], overrides: Partial<CommitPushed> = {}): CommitPushed {
  return commitPushedDetail.parse({
    app: null,
    commit: MERGE,
    correlationId: "github:delivery-1",
    provider: "github",
    repository: { name: "deploy", fullName: "acme/deploy", url: "https://github.com/acme/deploy.git" },
    ref: "refs/heads/main",
    refType: "branch",
    refName: "main",
    before: "b".repeat(40),
    after: MERGE,
    commits: messages.map((message, index) => ({ id: `${index}`.repeat(40), message })),
    pusher: { name: "reviewer" },
    deliveryId: "delivery-1",
    ...overrides,
  });
}

describe("mergedProposals", () => {
  it("reports each intent of a merged pull request as Config Committed on the pushed head", () => {
    // Arrange
    const proposal = renderCommitMessage({ intents: [stagingIntent("evt-1", "1.2.0-abc1234")] });
    const push = aPush([proposal, "Merge pull request #3 from acme/shipline/staging/shop\n\ndeploy\n"]);

    // Act
    const result = mergedProposals({ push, config, time: TIME });

    // Assert
    expect(result.skipped).toEqual([]);
    expect(result.events).toEqual([
      {
        detailType: "Config Committed",
        time: TIME,
        detail: {
          app: "shop",
          commit: "0123456789abcdef0123456789abcdef01234567",
          correlationId: "corr-evt-1",
          environment: "staging",
          configRepo: "https://github.com/acme/deploy.git",
          branch: "main",
          configCommit: MERGE,
          files: ["envs/staging/values.yaml"],
          tag: "1.2.0-abc1234",
          digest: `sha256:${"a".repeat(64)}`,
          intentId: "evt-1",
          kind: "update",
          schemaVersion: 1,
        },
      },
    ]);
  });

  it("ignores the writer's own commits for environments without review, and reverts", () => {
    // Arrange
    const direct = renderCommitMessage({
      intents: [anIntent({ intentId: "evt-dev", app: "shop", environment: "dev" })],
    });
    const revert = renderCommitMessage({
      intents: [
        anIntent({
          intentId: "evt-undo",
          app: "shop",
          environment: "staging",
          kind: "revert",
          revertOf: "d".repeat(40),
        }),
      ],
    });

    // Act
    const result = mergedProposals({ push: aPush([direct, revert]), config, time: TIME });

    // Assert
    expect(result.events).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  it.each([
    [
      "another repository",
      { repository: { name: "shop", fullName: "acme/shop", url: "https://github.com/acme/shop.git" } },
      "is not the config repository",
    ],
    [
      "the pull request's own side branch",
      { ref: "refs/heads/shipline/staging/shop", refName: "shipline/staging/shop" },
      "is not the config branch main",
    ],
  ])("ignores a push to %s", (_name, overrides, reason) => {
    // Arrange
    const push = aPush([renderCommitMessage({ intents: [stagingIntent("evt-1", "v2")] })], overrides);

    // Act
    const result = mergedProposals({ push, config, time: TIME });

    // Assert
    expect(result.events).toEqual([]);
    expect(result.ignored).toContain(reason);
  });

  it("reports an intent carried by several pushed commits once, with the newer intents of a batch", () => {
    // Arrange
    const batch = renderCommitMessage({
      intents: [stagingIntent("evt-1", "v2"), stagingIntent("evt-2", "v3")],
    });
    const push = aPush([batch, batch]);

    // Act
    const result = mergedProposals({ push, config, time: TIME });

    // Assert
    expect(result.events.map((event) => [event.detail.intentId, event.detail.tag])).toEqual([
      ["evt-1", "v2"],
      ["evt-2", "v3"],
    ]);
  });

  it("skips, with the reason, an intent whose trailers lack the tag or name an unknown app", () => {
    // Arrange
    const old = renderCommitMessage({ intents: [stagingIntent("evt-old", "v1")] }).replace(
      /^Image-Tag: .*\n/m,
      "",
    );
    const unknown = renderCommitMessage({
      intents: [anIntent({ intentId: "evt-gone", app: "gone", environment: "staging" })],
    });

    // Act
    const result = mergedProposals({ push: aPush([old, unknown]), config, time: TIME });

    // Assert
    expect(result.events).toEqual([]);
    expect(result.skipped).toEqual([
      { intentId: "evt-old", reason: expect.stringContaining("lack Image-Tag") },
      { intentId: "evt-gone", reason: "gone has no deploy target in staging in the configuration" },
    ]);
  });
});
