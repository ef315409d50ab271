import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { recordHop } from "../../../../functions/core/ledger/record-hop.js";
import { LedgerJourneyLookup } from "../../../../functions/core/notify/ledger-journey-lookup.js";
import { IMAGE_DIGEST, PREVIOUS_COMMIT, SOURCE_COMMIT } from "../contracts/detail-examples.js";
import { shiplineAt, temporaryStore } from "../ledger/ledger-test-kit.js";
import { PULL_REQUEST_URL } from "./notify-test-kit.js";

const LOGS = "https://logs.example.com/web-build/2";

/** The previous commit verified in staging with 1.3.2, then the source commit built as 1.4.0. */
function history(): EventEnvelope[] {
  const previous = { commit: PREVIOUS_COMMIT };
  return [
    shiplineAt("Config Committed", 0, { ...previous, tag: "1.3.2-a399698" }),
    shiplineAt("Deployment Verified", 30, previous),
    shiplineAt("Commit Pushed", 600),
    shiplineAt("Build Started", 605, { logsUrl: LOGS }),
    shiplineAt("Build Succeeded", 722, { logsUrl: LOGS }),
    shiplineAt("Config Committed", 745),
  ];
}

describe("LedgerJourneyLookup", () => {
  let store: FileDocumentStore;
  let cleanUp: () => Promise<void>;

  beforeEach(async () => {
    ({ store, cleanUp } = await temporaryStore());
    for (const event of history()) await recordHop({ store, event, productionEnvironments: new Set() });
  });

  afterEach(async () => {
    await cleanUp();
  });

  it("reads the commit's message, the tag and build log of the journey, and the tag the environment verified before", async () => {
    // Act
    const info = await new LedgerJourneyLookup({ store }).commitInfo({
      app: "web",
      commit: SOURCE_COMMIT,
      environment: "staging",
    });

    // Assert
    expect(info).toEqual({
      tag: "1.4.0-f485fcc",
      previousTag: "1.3.2-a399698",
      buildLogUrl: LOGS,
      message: "Serve /healthz",
      repositoryUrl: "https://github.com/acme/web.git",
    });
  });

  it("knows no previous tag for an environment nothing was verified in", async () => {
    // Act
    const info = await new LedgerJourneyLookup({ store }).commitInfo({
      app: "web",
      commit: SOURCE_COMMIT,
      environment: "production",
    });

    // Assert
    expect(info?.previousTag).toBeUndefined();
    expect(info?.tag).toBe("1.4.0-f485fcc");
  });

  it("answers undefined for a journey the ledger has not recorded", async () => {
    // Act
    const info = await new LedgerJourneyLookup({ store }).commitInfo({
      app: "shop",
      commit: "0".repeat(39) + "1",
    });

    // Assert
    expect(info).toBeUndefined();
  });

  it("lists the pull requests the journey's image was proposed in, oldest first, with their event ids", async () => {
    // Arrange
    const opened = shiplineAt("Pull Request Opened", 800, {}, "opened-1");
    const updated = shiplineAt("Pull Request Opened", 900, { updated: true }, "update-1");
    for (const event of [updated, opened]) {
      await recordHop({ store, event, productionEnvironments: new Set(["production"]) });
    }

    // Act
    const info = await new LedgerJourneyLookup({ store }).commitInfo({
      app: "web",
      commit: SOURCE_COMMIT,
      environment: "production",
    });

    // Assert
    const proposal = { environment: "production", url: PULL_REQUEST_URL, digest: IMAGE_DIGEST };
    expect(info?.proposals).toEqual([
      { ...proposal, eventId: "opened-1", at: opened.time },
      { ...proposal, eventId: "update-1", at: updated.time },
    ]);
  });
});
