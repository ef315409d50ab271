import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import type { DeploymentFailed } from "../../../../functions/core/contracts/events/deployment-failed.js";
import { planRollback } from "../../../../functions/core/rollback/plan-rollback.js";
import { rollbackCommitted } from "../../../../functions/core/rollback/rollback-committed.js";
import { parseRollbackIntentId } from "../../../../functions/core/rollback/rollback-intent-id.js";
import { writeIntent } from "../../../../functions/core/writer/write-intent.js";
import { toYaml, validConfig } from "../config/config-builder.js";

const config = parseConfig(toYaml(validConfig()), "shipline.config.yaml");
const now = new Date("2026-03-01T12:00:00.000Z");
const FAILED_COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
const DIGEST = `sha256:${"b".repeat(64)}`;

function failed(overrides: Partial<DeploymentFailed> = {}): DeploymentFailed {
  return {
    schemaVersion: 1,
    app: "shop",
    commit: "0123456789abcdef0123456789abcdef01234567",
    correlationId: "corr-1",
    environment: "staging",
    cluster: "stage-eu",
    application: "shop-staging",
    revision: FAILED_COMMIT,
    reason: "the application is Degraded",
    resources: [],
    digest: DIGEST,
    tag: "1.4.0-0123456",
    ...overrides,
  };
}

describe("planRollback", () => {
  it("asks the writer to revert the failed config commit on the config repository's message group", () => {
    // Act
    const plan = planRollback({ failed: failed(), config, now });

    // Assert
    if (plan.action !== "revert") throw new Error(`expected a revert, got: ${plan.reason}`);
    const intent = writeIntent.parse(plan.intent);
    expect(intent).toMatchObject({
      kind: "revert",
      revertOf: FAILED_COMMIT,
      app: "shop",
      environment: "staging",
      target: { kind: "helm", file: "envs/staging/shop/values.yaml", path: "image.tag" },
      image: { repository: "shop", tag: "1.4.0-0123456", digest: DIGEST },
    });
    expect(plan.groupId).toBe("https://github.com/acme/deploy.git#main");
    expect(parseRollbackIntentId(intent.intentId)).toEqual({
      app: "shop",
      environment: "staging",
      revertOf: FAILED_COMMIT,
    });
  });

  it("places a hold naming the failed image, by the rollback", () => {
    // Act
    const plan = planRollback({ failed: failed(), config, now });

    // Assert
    if (plan.action !== "revert") throw new Error("expected a revert");
    expect(plan.hold.detail).toMatchObject({
      app: "shop",
      environment: "staging",
      placedBy: "rollback",
      digest: DIGEST,
      reason: `deployment of config commit ${FAILED_COMMIT} failed: the application is Degraded`,
    });
  });

  it("gives the same intent id to a redelivered failure, so that the revert is written once", () => {
    // Act
    const first = planRollback({ failed: failed(), config, now });
    const again = planRollback({ failed: failed({ reason: "deadline passed" }), config, now });

    // Assert
    if (first.action !== "revert" || again.action !== "revert") throw new Error("expected reverts");
    expect(again.intent.intentId).toBe(first.intent.intentId);
  });

  it("does nothing where the environment has no auto-rollback", () => {
    // Act
    const plan = planRollback({
      failed: failed({ environment: "production", application: "shop-production" }),
      config,
      now,
    });

    // Assert
    expect(plan).toEqual({ action: "skip", reason: "environment 'production' has no autoRollback" });
  });

  it("never reverts a rollback's own revert", () => {
    // Act
    const plan = planRollback({ failed: failed({ kind: "revert" }), config, now });

    // Assert
    expect(plan.action).toBe("skip");
    expect(plan.action === "skip" ? plan.reason : "").toContain("itself a rollback");
  });
});

describe("rollbackCommitted", () => {
  it("records the revert the writer committed for a rollback, naming the reverted commit", () => {
    // Arrange
    const plan = planRollback({ failed: failed(), config, now });
    if (plan.action !== "revert") throw new Error("expected a revert");
    const revertCommit = "fedcba9876543210fedcba9876543210fedcba98";

    // Act
    const event = rollbackCommitted({
      committed: {
        schemaVersion: 1,
        app: "shop",
        commit: "0123456789abcdef0123456789abcdef01234567",
        correlationId: "corr-1",
        environment: "staging",
        configRepo: "https://github.com/acme/deploy.git",
        branch: "main",
        configCommit: revertCommit,
        files: ["envs/staging/shop/values.yaml"],
        tag: "1.4.0-0123456",
        digest: DIGEST,
        intentId: plan.intent.intentId,
        kind: "revert",
      },
      now,
    });

    // Assert
    expect(event?.detail).toMatchObject({
      revertedCommit: FAILED_COMMIT,
      configCommit: revertCommit,
      environment: "staging",
    });
  });

  it("ignores a config commit that is not a rollback's revert", () => {
    // Act
    const event = rollbackCommitted({
      committed: {
        schemaVersion: 1,
        app: "shop",
        commit: "0123456789abcdef0123456789abcdef01234567",
        correlationId: "corr-1",
        environment: "staging",
        configRepo: "https://github.com/acme/deploy.git",
        branch: "main",
        configCommit: FAILED_COMMIT,
        files: ["envs/staging/shop/values.yaml"],
        tag: "1.4.0-0123456",
        digest: DIGEST,
        intentId: "event-42",
        kind: "revert",
      },
      now,
    });

    // Assert
    expect(event).toBeUndefined();
  });
});
