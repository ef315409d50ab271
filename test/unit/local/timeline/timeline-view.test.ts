import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { indexJourneys, journeyHops } from "../../../../functions/local/timeline/journey-index.js";
import { journeyView } from "../../../../functions/local/timeline/timeline-view.js";
import { SOURCE_COMMIT } from "../../core/contracts/detail-examples.js";
import { shiplineAt } from "../../core/ledger/ledger-test-kit.js";

function viewOf(events: EventEnvelope[], options: { configRepoUrl?: string } = {}) {
  const hops = journeyHops(indexJourneys(events), "web", SOURCE_COMMIT);
  return journeyView({ hops, ...options });
}

function states(events: EventEnvelope[]) {
  return viewOf(events).steps.map((step) => [step.detailType, step.state]);
}

describe("journeyView", () => {
  it("shows the last hop that starts work as running while nothing follows it", () => {
    // Act
    const running = states([shiplineAt("Commit Pushed", 0), shiplineAt("Build Started", 5)]);
    const done = states([
      shiplineAt("Commit Pushed", 0),
      shiplineAt("Build Started", 5),
      shiplineAt("Build Succeeded", 60),
    ]);

    // Assert
    expect(running).toEqual([
      ["Commit Pushed", "succeeded"],
      ["Build Started", "running"],
    ]);
    expect(done).toEqual([
      ["Commit Pushed", "succeeded"],
      ["Build Started", "succeeded"],
      ["Build Succeeded", "succeeded"],
    ]);
  });

  it("shows the chart a build pushed and the chart version a config commit wrote", () => {
    // Act
    const view = viewOf([
      shiplineAt("Chart Pushed", 0),
      shiplineAt("Config Committed", 10, { chartVersion: "1.4.0-f485fcc" }),
    ]);

    // Assert
    expect(view.steps.map((step) => step.summary)).toEqual([
      "chart web-chart 1.4.0-f485fcc → 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web-chart",
      "tag 1.4.0-f485fcc · config 3b18e51 · chart 1.4.0-f485fcc",
    ]);
  });

  it("shows a pull request waiting for review as waiting, with its link", () => {
    // Act
    const view = viewOf([shiplineAt("Image Approved", 0), shiplineAt("Pull Request Opened", 10)]);

    // Assert
    expect(view.status).toBe("waiting");
    expect(view.steps[1]).toMatchObject({
      state: "waiting",
      environment: "production",
      links: [{ label: "pull request", url: "https://github.com/acme/deploy/pull/42" }],
    });
  });

  it("shows a rejected image as failed with the verdict, and links config commits of an https repository", () => {
    // Act
    const rejected = viewOf([shiplineAt("Image Rejected", 0)]);
    const committed = viewOf([shiplineAt("Config Committed", 0)], {
      configRepoUrl: "https://github.com/acme/deploy.git",
    });

    // Assert
    expect(rejected.steps[0]).toMatchObject({
      state: "failed",
      reason: "1 CRITICAL finding at or above HIGH",
    });
    expect(rejected.status).toBe("rejected");
    expect(committed.steps[0]?.links).toEqual([
      {
        label: "config commit",
        url: "https://github.com/acme/deploy/commit/3b18e512dba79e4c8300dd08aeb37f8e728b8dad",
      },
    ]);
    expect(committed.steps[0]?.summary).toBe("tag 1.4.0-f485fcc · config 3b18e51");
  });

  it("uses a step's own duration when its event tells it, else the time since the step before", () => {
    // Act
    const view = viewOf([
      shiplineAt("Build Started", 0),
      shiplineAt("Build Succeeded", 150, { durationSeconds: 117 }),
      shiplineAt("Image Pushed", 160),
    ]);

    // Assert
    expect(view.steps.map((step) => [step.offsetSeconds, step.durationSeconds])).toEqual([
      [0, 0],
      [150, 117],
      [160, 10],
    ]);
  });
});
