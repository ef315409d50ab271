import { describe, expect, it } from "vitest";
import { parseDetail } from "../../../../functions/core/contracts/parse-detail.js";
import { isRepeatedProposal } from "../../../../functions/core/notify/repeated-proposal.js";
import { DETAIL_EXAMPLES } from "../contracts/detail-examples.js";
import { proposal } from "./notify-test-kit.js";

/** The example's pull request, opened or updated. */
function pullRequest(updated: boolean) {
  return parseDetail("Pull Request Opened", { ...DETAIL_EXAMPLES["Pull Request Opened"], updated });
}

const NOW = "2026-03-01T12:00:00Z";

describe("isRepeatedProposal", () => {
  it("holds for an update whose pull request already proposed the same image earlier", () => {
    // Arrange
    const proposals = [proposal({ eventId: "opened-1", at: "2026-03-01T11:00:00Z" })];

    // Act
    const repeated = isRepeatedProposal({
      detail: pullRequest(true),
      eventId: "update-1",
      time: NOW,
      proposals,
    });

    // Assert
    expect(repeated).toBe(true);
  });

  it("never holds for an opened pull request, even one the journey recorded before", () => {
    // Arrange
    const proposals = [proposal({ eventId: "opened-0", at: "2026-03-01T11:00:00Z" })];

    // Act
    const repeated = isRepeatedProposal({
      detail: pullRequest(false),
      eventId: "opened-1",
      time: NOW,
      proposals,
    });

    // Assert
    expect(repeated).toBe(false);
  });

  it.each([
    ["another image", proposal({ digest: `sha256:${"0".repeat(64)}` })],
    ["another pull request", proposal({ url: "https://github.com/acme/deploy/pull/7" })],
    ["another environment", proposal({ environment: "staging" })],
    ["the event itself", proposal({ eventId: "update-1", at: NOW })],
    ["a later proposal of the image", proposal({ eventId: "update-2", at: "2026-03-01T12:00:05Z" })],
  ])("does not hold when the journey only recorded %s", (_, recorded) => {
    // Act
    const repeated = isRepeatedProposal({
      detail: pullRequest(true),
      eventId: "update-1",
      time: NOW,
      proposals: [recorded],
    });

    // Assert
    expect(repeated).toBe(false);
  });

  it("lets the first of two proposals of one image in the same second be told, by event id", () => {
    // Arrange
    const first = proposal({ eventId: "update-a", at: NOW });
    const second = proposal({ eventId: "update-b", at: NOW });

    // Act
    const firstRepeated = isRepeatedProposal({
      detail: pullRequest(true),
      eventId: "update-a",
      time: NOW,
      proposals: [first, second],
    });
    const secondRepeated = isRepeatedProposal({
      detail: pullRequest(true),
      eventId: "update-b",
      time: NOW,
      proposals: [first, second],
    });

    // Assert
    expect([firstRepeated, secondRepeated]).toEqual([false, true]);
  });

  it("does not hold when the event cannot be placed (no id or time) or the journey recorded nothing", () => {
    // Arrange
    const proposals = [proposal()];
    const detail = pullRequest(true);

    // Act
    const outcomes = [
      isRepeatedProposal({ detail, time: NOW, proposals }),
      isRepeatedProposal({ detail, eventId: "update-1", proposals }),
      isRepeatedProposal({ detail, eventId: "update-1", time: NOW }),
    ];

    // Assert
    expect(outcomes).toEqual([false, false, false]);
  });
});
