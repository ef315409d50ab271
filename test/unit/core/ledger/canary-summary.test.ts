import { describe, expect, it } from "vitest";
import type { CanaryProgress } from "../../../../functions/core/contracts/events/canary-progress.js";
import { canarySummary } from "../../../../functions/core/ledger/canary-summary.js";
import { applyEnvironmentHop } from "../../../../functions/core/ledger/environment-state.js";
import { ledgerEntryOf } from "../../../../functions/core/ledger/ledger-entry-of.js";
import { detailsOf } from "../../../../functions/local/cli/commands/trace.js";
import { indexJourneys, journeyHops } from "../../../../functions/local/timeline/journey-index.js";
import { journeyView } from "../../../../functions/local/timeline/timeline-view.js";
import { SOURCE_COMMIT } from "../contracts/detail-examples.js";
import { shiplineAt } from "./ledger-test-kit.js";

const COMPLETED: CanaryProgress = {
  rollout: "demo/demo",
  steps: [
    { index: 0, total: 4, kind: "setWeight", weight: 25, at: "2026-03-01T12:00:01Z" },
    {
      index: 1,
      total: 4,
      kind: "pause",
      weight: 25,
      paused: true,
      promoted: true,
      at: "2026-03-01T12:00:02Z",
    },
    { index: 2, total: 4, kind: "setWeight", weight: 75, at: "2026-03-01T12:00:03Z" },
    { index: 4, total: 4, kind: "done", weight: 100, at: "2026-03-01T12:00:05Z" },
  ],
};

describe("canarySummary", () => {
  it("tells the weights, the pauses and who ended them, and the end, in order", () => {
    // Act
    const summary = canarySummary(COMPLETED);

    // Assert
    expect(summary).toBe("canary demo/demo: 25% → paused at 25% (promoted) → 75% → 100% done");
  });

  it("says when the Rollout was aborted", () => {
    // Arrange
    const aborted: CanaryProgress = {
      rollout: "demo/demo",
      aborted: true,
      steps: [{ index: 0, total: 4, kind: "setWeight", weight: 0, at: "2026-03-01T12:00:01Z" }],
    };

    // Act
    const summary = canarySummary(aborted);

    // Assert
    expect(summary).toBe("canary demo/demo: 0% → aborted");
  });

  it("reaches the ledger's hop of Deployment Verified and the trace's line", () => {
    // Arrange
    const event = shiplineAt("Deployment Verified", 30, { canary: COMPLETED });

    // Act
    const entry = ledgerEntryOf(event);
    const line = entry.kind === "entry" ? detailsOf(entry.hop) : "";

    // Assert
    expect(entry).toMatchObject({ kind: "entry", hop: { canary: COMPLETED } });
    expect(line).toContain("canary demo/demo: 25% → paused at 25% (promoted) → 75% → 100% done");
  });

  it("is kept with the image an environment runs, for status", () => {
    // Arrange
    const entry = ledgerEntryOf(shiplineAt("Deployment Verified", 30, { canary: COMPLETED }));
    if (entry.kind !== "entry" || entry.hop.app === null || entry.hop.commit === null) {
      throw new Error("Deployment Verified is not recorded for an app and a commit");
    }
    const hop = { ...entry.hop, app: entry.hop.app, commit: entry.hop.commit };

    // Act
    const state = applyEnvironmentHop(undefined, hop);

    // Assert
    expect(state?.deployed?.canary).toBe(
      "canary demo/demo: 25% → paused at 25% (promoted) → 75% → 100% done",
    );
  });

  it("shows on the timeline's step of the deployment", () => {
    // Arrange
    const events = [
      shiplineAt("Commit Pushed", 0),
      shiplineAt("Deployment Verified", 30, { canary: COMPLETED }),
    ];

    // Act
    const view = journeyView({ hops: journeyHops(indexJourneys(events), "web", SOURCE_COMMIT) });

    // Assert
    const step = view.steps.find((candidate) => candidate.detailType === "Deployment Verified");
    expect(step?.summary).toContain("canary demo/demo: 25% → paused at 25% (promoted) → 75% → 100% done");
  });
});
