import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { environmentStatesOf } from "../../../../functions/core/ledger/environment-states-of.js";
import { ledgerEntryOf } from "../../../../functions/core/ledger/ledger-entry-of.js";
import type { JourneyHop } from "../../../../functions/core/ledger/ledger-hop.js";
import { shiplineAt } from "./ledger-test-kit.js";

const COMMIT = "0a1b2c3".padEnd(40, "0");
const CONFIG = "1".repeat(40);
const IMAGE = { tag: "1.3.0-0a1b2c3", digest: `sha256:${"a".repeat(64)}` };

function hopsOf(events: readonly EventEnvelope[]): JourneyHop[] {
  return events.flatMap((event) => {
    const entry = ledgerEntryOf(event);
    if (entry.kind !== "entry" || entry.hop.app === null || entry.hop.commit === null) return [];
    return [{ ...entry.hop, app: entry.hop.app, commit: entry.hop.commit }];
  });
}

describe("an environment whose target writes the chart version", () => {
  it("asks for, and once verified runs, the chart version its config commit wrote", () => {
    // Arrange
    const committed = shiplineAt("Config Committed", 0, {
      commit: COMMIT,
      ...IMAGE,
      configCommit: CONFIG,
      chartVersion: IMAGE.tag,
    });
    const verified = shiplineAt("Deployment Verified", 10, {
      commit: COMMIT,
      digest: IMAGE.digest,
      revision: CONFIG,
    });

    // Act
    const asked = environmentStatesOf(hopsOf([committed]));
    const running = environmentStatesOf(hopsOf([committed, verified]));

    // Assert
    expect(asked[0]?.desired?.chartVersion).toBe(IMAGE.tag);
    expect(asked[0]?.deployed).toBeUndefined();
    expect(running[0]?.deployed).toMatchObject({ tag: IMAGE.tag, chartVersion: IMAGE.tag });
  });

  it("runs no chart version where the config commit wrote none", () => {
    // Arrange
    const events = [
      shiplineAt("Config Committed", 0, { commit: COMMIT, ...IMAGE, configCommit: CONFIG }),
      shiplineAt("Deployment Verified", 10, { commit: COMMIT, digest: IMAGE.digest, revision: CONFIG }),
    ];

    // Act
    const [state] = environmentStatesOf(hopsOf(events));

    // Assert
    expect(state?.deployed?.tag).toBe(IMAGE.tag);
    expect(state?.deployed).not.toHaveProperty("chartVersion");
  });
});
