import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import type { ConfigCommitted } from "../../../../functions/core/contracts/events/config-committed.js";
import { planSyncRequest } from "../../../../functions/core/dispatch/plan-sync-request.js";
import { toYaml, validConfig } from "../config/config-builder.js";

const config = parseConfig(toYaml(validConfig()), "shipline.config.yaml");
const clock = { now: () => new Date("2026-03-01T12:00:00.000Z") };

function committed(overrides: Partial<ConfigCommitted> = {}): ConfigCommitted {
  return {
    schemaVersion: 1,
    app: "shop",
    commit: "0123456789abcdef0123456789abcdef01234567",
    correlationId: "corr-1",
    environment: "production",
    configRepo: "https://github.com/acme/deploy.git",
    branch: "main",
    configCommit: "89abcdef0123456789abcdef0123456789abcdef",
    files: ["envs/production/shop/kustomization.yaml"],
    tag: "1.4.0-0123456",
    digest: `sha256:${"a".repeat(64)}`,
    intentId: "event-1",
    kind: "update",
    ...overrides,
  };
}

describe("planSyncRequest", () => {
  it("addresses the app's Argo CD application on the environment's cluster at the config commit", () => {
    // Act
    const request = planSyncRequest({ committed: committed(), config, clock });

    // Assert
    expect(request.detailType).toBe("Sync Requested");
    expect(request.detail).toMatchObject({
      app: "shop",
      environment: "production",
      cluster: "prod-eu",
      application: "shop-production",
      revision: "89abcdef0123456789abcdef0123456789abcdef",
      correlationId: "corr-1",
      tag: "1.4.0-0123456",
      kind: "update",
    });
  });

  it("sets the deadline the environment's verifyDeadline after now", () => {
    // Act
    const production = planSyncRequest({ committed: committed(), config, clock });
    const staging = planSyncRequest({ committed: committed({ environment: "staging" }), config, clock });

    // Assert
    expect(production.detail.deadline).toBe("2026-03-01T12:15:00.000Z");
    expect(staging.detail.deadline).toBe("2026-03-01T12:05:00.000Z");
  });

  it("carries the environment's canary policy: promotion of paused steps and the canary's latest end", () => {
    // Arrange
    const raw = validConfig();
    const production = raw.environments.find((environment) => environment.name === "production");
    Object.assign(production ?? {}, { rollout: { promotePauses: true, maxDuration: "1h" } });
    const withRollout = parseConfig(toYaml(raw), "shipline.config.yaml");

    // Act
    const request = planSyncRequest({ committed: committed(), config: withRollout, clock });
    const staging = planSyncRequest({
      committed: committed({ environment: "staging" }),
      config: withRollout,
      clock,
    });

    // Assert
    expect(request.detail.rollout).toEqual({ promotePauses: true, until: "2026-03-01T13:00:00.000Z" });
    expect(staging.detail).not.toHaveProperty("rollout");
  });

  it("carries the environment's metric gate, except on a revert, which has nothing to fall back to", () => {
    // Arrange
    const raw = validConfig();
    const production = raw.environments.find((environment) => environment.name === "production");
    Object.assign(production ?? {}, { bake: { window: "5m", cloudwatchAlarm: "shop-5xx" } });
    const withBake = parseConfig(toYaml(raw), "shipline.config.yaml");

    // Act
    const update = planSyncRequest({ committed: committed(), config: withBake, clock });
    const revert = planSyncRequest({ committed: committed({ kind: "revert" }), config: withBake, clock });
    const staging = planSyncRequest({
      committed: committed({ environment: "staging" }),
      config: withBake,
      clock,
    });

    // Assert
    expect(update.detail.bake).toEqual({ window: 300, cloudwatchAlarm: "shop-5xx" });
    expect(revert.detail).not.toHaveProperty("bake");
    expect(staging.detail).not.toHaveProperty("bake");
  });

  it("carries when the config commit was announced, which orders commits where Argo CD cannot", () => {
    // Act
    const announced = planSyncRequest({
      committed: committed(),
      committedAt: "2026-03-01T12:00:00Z",
      config,
      clock,
    });
    const unknown = planSyncRequest({ committed: committed(), config, clock });

    // Assert
    expect(announced.detail.committedAt).toBe("2026-03-01T12:00:00Z");
    expect(unknown.detail).not.toHaveProperty("committedAt");
  });

  it("carries a revert's kind, so that the agent's outcome tells a rollback apart", () => {
    // Act
    const request = planSyncRequest({ committed: committed({ kind: "revert" }), config, clock });

    // Assert
    expect(request.detail.kind).toBe("revert");
  });

  it("refuses, permanently, a commit for an app the configuration does not know", () => {
    // Act
    const run = () => planSyncRequest({ committed: committed({ app: "ghost" }), config, clock });

    // Assert
    expect(run).toThrow(expect.objectContaining({ code: "DISPATCH_TARGET_UNKNOWN", retryable: false }));
    expect(run).toThrow(/app 'ghost' is not in the configuration/);
  });
});
