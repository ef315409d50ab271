import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import {
  applyEnvironmentHop,
  type EnvironmentState,
} from "../../../../functions/core/ledger/environment-state.js";
import { environmentStatesOf } from "../../../../functions/core/ledger/environment-states-of.js";
import { ledgerEntryOf } from "../../../../functions/core/ledger/ledger-entry-of.js";
import type { JourneyHop } from "../../../../functions/core/ledger/ledger-hop.js";
import { shiplineAt } from "./ledger-test-kit.js";

const GOOD = { tag: "1.3.0-0a1b2c3", digest: `sha256:${"a".repeat(64)}` };
const BAD = { tag: "1.4.0-f485fcc", digest: `sha256:${"b".repeat(64)}` };
const GOOD_COMMIT = "0a1b2c3".padEnd(40, "0");
const BAD_COMMIT = "f485fcc".padEnd(40, "1");
const UPDATE = "3b18e51".padEnd(40, "2");
const REVERT = "9fceb02".padEnd(40, "3");

/** The hops of one environment's story: a good image, a broken one, its rollback and a person's hold. */
function story(): JourneyHop[] {
  return hopsOf([
    shiplineAt("Config Committed", 0, { commit: GOOD_COMMIT, ...GOOD, configCommit: "1".repeat(40) }),
    shiplineAt("Deployment Verified", 10, {
      commit: GOOD_COMMIT,
      digest: GOOD.digest,
      revision: "1".repeat(40),
    }),
    shiplineAt("Config Committed", 100, { commit: BAD_COMMIT, ...BAD, configCommit: UPDATE }),
    shiplineAt("Sync Requested", 101, { commit: BAD_COMMIT, ...BAD, revision: UPDATE }),
    shiplineAt("Deployment Failed", 161, { commit: BAD_COMMIT, ...BAD, revision: UPDATE }),
    shiplineAt("Config Committed", 162, {
      commit: BAD_COMMIT,
      kind: "revert",
      ...GOOD,
      configCommit: REVERT,
      replaced: BAD,
    }),
    shiplineAt("Rollback Committed", 162, { commit: BAD_COMMIT, configCommit: REVERT, restored: GOOD }),
    shiplineAt("Hold Placed", 162, { commit: BAD_COMMIT, placedBy: "rollback", digest: BAD.digest }),
    shiplineAt("Sync Requested", 163, { commit: BAD_COMMIT, kind: "revert", ...GOOD, revision: REVERT }),
    shiplineAt("Deployment Verified", 170, {
      commit: BAD_COMMIT,
      kind: "revert",
      digest: GOOD.digest,
      revision: REVERT,
    }),
  ]);
}

function hopsOf(events: readonly EventEnvelope[]): JourneyHop[] {
  return events.flatMap((event) => {
    const entry = ledgerEntryOf(event);
    if (entry.kind !== "entry" || entry.hop.app === null || entry.hop.commit === null) return [];
    return [{ ...entry.hop, app: entry.hop.app, commit: entry.hop.commit }];
  });
}

function replay(hops: readonly JourneyHop[]): EnvironmentState | undefined {
  return hops.reduce<EnvironmentState | undefined>(
    (state, hop) => applyEnvironmentHop(state, hop) ?? state,
    undefined,
  );
}

/** The facts of DESIGN §7 a surface reads: running, desired, failed, hold. */
function factsOf(state: EnvironmentState | undefined) {
  return {
    running: state?.deployed?.digest,
    runningConfig: state?.deployed?.configCommit,
    desired: state?.desired?.tag,
    failed: state?.failed?.map((entry) => entry.digest),
    hold: state?.hold?.by,
  };
}

describe("applyEnvironmentHop over event sequences", () => {
  it("ends a failed deployment and its rollback with the restored image running and the failed one recorded", () => {
    // Act
    const state = replay(story());

    // Assert
    expect(factsOf(state)).toEqual({
      running: GOOD.digest,
      runningConfig: REVERT,
      desired: GOOD.tag,
      failed: [BAD.digest],
      hold: "rollback",
    });
  });

  it("reaches the same facts when every event is delivered twice", () => {
    // Arrange
    const hops = story().flatMap((hop) => [hop, hop]);

    // Act
    const state = replay(hops);

    // Assert
    expect(factsOf(state)).toEqual(factsOf(replay(story())));
  });

  it("keeps the failure and the hold when the events arrive out of order", () => {
    // Arrange: the failure and the hold arrive after the rollback's verification.
    const hops = story();
    const late = hops.filter(
      (hop) => hop.detailType === "Deployment Failed" || hop.detailType === "Hold Placed",
    );
    const reordered = [...hops.filter((hop) => !late.includes(hop)), ...late];

    // Act
    const state = replay(reordered);

    // Assert
    expect(factsOf(state)).toEqual(factsOf(replay(story())));
  });

  it("lets a hold released later win over the same hold delivered late", () => {
    // Arrange
    const [first] = story();
    const placed = story().find((hop) => hop.detailType === "Hold Placed");
    const entry = ledgerEntryOf(shiplineAt("Hold Released", 200, { releasedBy: "ops" }));
    if (first === undefined || placed === undefined || entry.kind !== "entry" || entry.hop.commit === null)
      throw new Error("the story has its hops");
    const released = { ...entry.hop, app: first.app, commit: entry.hop.commit };

    // Act
    const state = replay([first, released, placed]);

    // Assert
    expect(state?.hold).toBeUndefined();
    expect(state?.releasedAt).toBe(released.at);
  });

  it("keeps a person's verified revert running when the replaced update's verification comes in the same second", () => {
    // Arrange: the person reverts the update before Argo CD reports it; all of it within one second.
    const hops = hopsOf([
      shiplineAt("Config Committed", 0, { commit: GOOD_COMMIT, ...GOOD, configCommit: "1".repeat(40) }),
      shiplineAt("Deployment Verified", 10, {
        commit: GOOD_COMMIT,
        digest: GOOD.digest,
        revision: "1".repeat(40),
      }),
      shiplineAt("Config Committed", 100, { commit: BAD_COMMIT, ...BAD, configCommit: UPDATE }),
      shiplineAt("Sync Requested", 101, { commit: BAD_COMMIT, ...BAD, revision: UPDATE }),
      shiplineAt("Config Committed", 120, {
        commit: BAD_COMMIT,
        kind: "revert",
        by: "person",
        author: "Dana",
        ...GOOD,
        configCommit: REVERT,
        replaced: BAD,
      }),
      shiplineAt("Sync Requested", 120, { commit: BAD_COMMIT, kind: "revert", ...GOOD, revision: REVERT }),
      shiplineAt("Deployment Verified", 120, {
        commit: BAD_COMMIT,
        kind: "revert",
        digest: GOOD.digest,
        revision: REVERT,
      }),
      shiplineAt("Deployment Verified", 120, { commit: BAD_COMMIT, digest: BAD.digest, revision: UPDATE }),
    ]);

    // Act
    const [state] = environmentStatesOf(hops);

    // Assert
    expect(factsOf(state)).toMatchObject({ running: GOOD.digest, runningConfig: REVERT, desired: GOOD.tag });
    expect(state?.phase).toBe("rolled-back");
  });

  it("orders a person's revert after the update it reverts when both are committed in the same second", () => {
    // Arrange: event ids that would put the revert first
    const update = shiplineAt(
      "Config Committed",
      100,
      { commit: BAD_COMMIT, ...BAD, configCommit: UPDATE },
      "z-update",
    );
    const revert = shiplineAt(
      "Config Committed",
      100,
      {
        commit: BAD_COMMIT,
        kind: "revert",
        by: "person",
        author: "Dana",
        ...GOOD,
        configCommit: REVERT,
        replaced: BAD,
      },
      "a-revert",
    );
    const hops = hopsOf([
      shiplineAt("Config Committed", 0, { commit: GOOD_COMMIT, ...GOOD, configCommit: "1".repeat(40) }),
      shiplineAt("Deployment Verified", 10, {
        commit: GOOD_COMMIT,
        digest: GOOD.digest,
        revision: "1".repeat(40),
      }),
      revert,
      update,
      shiplineAt(
        "Deployment Verified",
        100,
        { commit: BAD_COMMIT, kind: "revert", digest: GOOD.digest, revision: REVERT },
        "b-verified-revert",
      ),
      shiplineAt(
        "Deployment Verified",
        100,
        { commit: BAD_COMMIT, digest: BAD.digest, revision: UPDATE },
        "c-verified-update",
      ),
    ]);

    // Act
    const [state] = environmentStatesOf(hops);

    // Assert
    expect(factsOf(state)).toMatchObject({ running: GOOD.digest, runningConfig: REVERT, desired: GOOD.tag });
    expect(state?.desired?.by).toBe("person");
  });
});
