import { describe, expect, it } from "vitest";
import type { EnvironmentState } from "../../../../functions/core/ledger/environment-state.js";
import { renderEnvironmentSummary } from "../../../../functions/local/demo/environment-summary.js";

const SHA = "681fa6f0123456789abcdef0123456789abcdef0";
const NEWER = "c3d9e120123456789abcdef0123456789abcdef0";

function state(environment: string, changes: Partial<EnvironmentState> = {}): EnvironmentState {
  return {
    app: "demo",
    environment,
    phase: "verified",
    commit: SHA,
    correlationId: "push-1",
    tag: "1.0.0-681fa6f",
    since: "2026-03-01T12:00:20.000Z",
    lastDetailType: "Deployment Verified",
    deployed: {
      commit: SHA,
      correlationId: "push-1",
      tag: "1.0.0-681fa6f",
      since: "2026-03-01T12:00:20.000Z",
    },
    desired: { tag: "1.0.0-681fa6f", by: "shipline", since: "2026-03-01T12:00:10.000Z" },
    ...changes,
  };
}

describe("renderEnvironmentSummary", () => {
  it("lists what runs in each environment, in promotion order", () => {
    // Arrange
    const states = [state("production"), state("staging", { since: "2026-03-01T12:00:05.000Z" })];

    // Act
    const text = renderEnvironmentSummary({ states, order: ["staging", "production"] });

    // Assert
    expect(text).toBe(
      [
        "What runs:",
        "  ✓ demo  staging     1.0.0-681fa6f  since 12:00:20",
        "  ✓ demo  production  1.0.0-681fa6f  since 12:00:20",
        "",
      ].join("\n"),
    );
  });

  it("says what is not settled: a hold with its release command, a change by hand, a failure", () => {
    // Arrange
    const states = [
      state("staging", {
        phase: "rolled-back",
        commit: NEWER,
        tag: "1.0.1-c3d9e12",
        reason: "the application is Degraded",
        failed: [
          {
            commit: NEWER,
            tag: "1.0.1-c3d9e12",
            reason: "the application is Degraded",
            at: "2026-03-01T12:01:00Z",
          },
        ],
        hold: { reason: "rollback of c3d9e12", by: "rollback" },
      }),
      state("production", {
        desired: { tag: "0.9.0-0000000", by: "person", author: "Alice", since: "2026-03-01T12:02:00Z" },
      }),
      state("qa", { deployed: undefined, phase: "committed", desired: undefined }),
    ];

    // Act
    const lines = renderEnvironmentSummary({ states, order: ["qa", "staging", "production"] }).split("\n");

    // Assert
    expect(lines[1]).toBe("  … demo  qa          nothing        committed 1.0.0-681fa6f");
    expect(lines[2]).toBe(
      "  ✗ demo  staging     1.0.0-681fa6f  since 12:00:20 · rolled-back 1.0.1-c3d9e12: the application is Degraded · held by rollback: rollback of c3d9e12 · shipline release demo staging",
    );
    expect(lines[3]).toBe(
      "  … demo  production  1.0.0-681fa6f  since 12:00:20 · config asks for 0.9.0-0000000 (by Alice)",
    );
  });

  it("says when nothing has been deployed yet", () => {
    // Act
    const text = renderEnvironmentSummary({ states: [], order: [] });

    // Assert
    expect(text).toBe("What runs: nothing yet, no environment has a deployment.\n");
  });
});
