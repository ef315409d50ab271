import { describe, expect, it } from "vitest";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import { pullRequestOpenedDetail } from "../../../../functions/core/contracts/events/pull-request-opened.js";
import {
  pullRequestBranch,
  pullRequestOpenedEvent,
} from "../../../../functions/core/ports/pull-request-host.js";

describe("pullRequestBranch", () => {
  it("names one branch per environment and app", () => {
    // Act
    const branches = [
      pullRequestBranch("production", "demo"),
      pullRequestBranch("production", "shop"),
      pullRequestBranch("staging", "demo"),
    ];

    // Assert
    expect(branches).toEqual([
      "shipline/production/demo",
      "shipline/production/shop",
      "shipline/staging/demo",
    ]);
  });
});

describe("pullRequestOpenedEvent", () => {
  it("maps the intent and the host's answer to a Pull Request Opened detail the contract accepts", () => {
    // Arrange
    const intent = {
      app: "demo",
      commit: "1".repeat(40),
      correlationId: "corr-1",
      environment: "production",
      intentId: "intent-7",
      image: { digest: `sha256:${"d".repeat(64)}` },
    };
    const time = new Date("2026-03-01T12:00:00Z");

    // Act
    const event = pullRequestOpenedEvent({
      intent,
      configRepo: "https://github.com/acme/deploy.git",
      branch: "shipline/production/demo",
      headCommit: "2".repeat(40),
      result: { url: "https://github.com/acme/deploy/pull/42", number: 42, updated: true },
      time,
    });

    // Assert
    expect(event.detailType).toBe(DetailType.PullRequestOpened);
    expect(event.time).toBe(time);
    expect(pullRequestOpenedDetail.parse(event.detail)).toEqual({
      schemaVersion: 1,
      app: "demo",
      commit: "1".repeat(40),
      correlationId: "corr-1",
      environment: "production",
      configRepo: "https://github.com/acme/deploy.git",
      url: "https://github.com/acme/deploy/pull/42",
      number: 42,
      branch: "shipline/production/demo",
      headCommit: "2".repeat(40),
      digest: `sha256:${"d".repeat(64)}`,
      intentId: "intent-7",
      updated: true,
    });
  });
});
