import { describe, expect, it } from "vitest";
import { ArchiveJourneyLookup } from "../../../../functions/local/timeline/archive-journey-lookup.js";
import { PREVIOUS_COMMIT, SOURCE_COMMIT } from "../../core/contracts/detail-examples.js";
import { shiplineAt } from "../../core/ledger/ledger-test-kit.js";

const events = [
  shiplineAt("Config Committed", 0, { commit: PREVIOUS_COMMIT, tag: "1.3.2-a399698" }),
  shiplineAt("Deployment Verified", 30, { commit: PREVIOUS_COMMIT }),
  shiplineAt("Commit Pushed", 600, {
    commits: [{ id: SOURCE_COMMIT, message: "Serve /healthz\n\nbody", author: { name: "Ada Lovelace" } }],
  }),
  shiplineAt("Build Started", 605, { logsUrl: "file:///data/builds/web.log" }),
  shiplineAt("Build Failed", 640, { logsUrl: "file:///data/builds/web.log" }),
  { ...shiplineAt("Build Succeeded", 641), detail: { app: "web", commit: "not a sha" } },
];

describe("ArchiveJourneyLookup", () => {
  it("tells the commit's message, author and repository from the push, and the tags from the journeys", async () => {
    // Arrange
    const lookup = new ArchiveJourneyLookup({ events: async () => events });

    // Act
    const info = await lookup.commitInfo({ app: "web", commit: SOURCE_COMMIT, environment: "staging" });

    // Assert
    expect(info).toEqual({
      message: "Serve /healthz\n\nbody",
      author: { name: "Ada Lovelace" },
      repositoryUrl: "https://github.com/acme/web.git",
      tag: "1.4.0-f485fcc",
      previousTag: "1.3.2-a399698",
      buildLogUrl: "file:///data/builds/web.log",
    });
  });

  it("answers undefined for a commit the archive never saw", async () => {
    // Arrange
    const lookup = new ArchiveJourneyLookup({ events: async () => events });

    // Act
    const info = await lookup.commitInfo({ app: "web", commit: "e".repeat(40) });

    // Assert
    expect(info).toBeUndefined();
  });
});
