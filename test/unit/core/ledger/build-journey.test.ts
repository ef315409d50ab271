import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { buildJourney } from "../../../../functions/core/ledger/build-journey.js";
import { ledgerEntryOf } from "../../../../functions/core/ledger/ledger-entry-of.js";
import type { JourneyHop } from "../../../../functions/core/ledger/ledger-hop.js";
import { shiplineAt } from "./ledger-test-kit.js";

/** The hops the ledger would record for these events, tied to app web. */
function hopsOf(...events: EventEnvelope[]): JourneyHop[] {
  return events.flatMap((event) => {
    const entry = ledgerEntryOf(event);
    if (entry.kind !== "entry" || entry.hop.commit === null) return [];
    return [{ ...entry.hop, app: "web", commit: entry.hop.commit }];
  });
}

const ENVIRONMENTS = [
  { name: "staging", approval: "auto" as const },
  { name: "production", promoteFrom: "staging", approval: "manual" as const },
];

const upToStaging = () => [
  shiplineAt("Commit Pushed", 0),
  shiplineAt("Build Started", 2),
  shiplineAt("Build Succeeded", 120),
  shiplineAt("Image Pushed", 125),
  shiplineAt("Image Approved", 180),
  shiplineAt("Config Committed", 185),
  shiplineAt("Sync Requested", 186),
  shiplineAt("Deployment Verified", 250),
];

describe("buildJourney", () => {
  it("orders hops by time and chain position and measures each from the start and the hop before", () => {
    // Arrange: delivered out of order, two in the same second.
    const hops = hopsOf(
      shiplineAt("Build Started", 2),
      shiplineAt("Build Succeeded", 120),
      shiplineAt("Commit Pushed", 2),
    );

    // Act
    const journey = buildJourney({ hops });

    // Assert
    expect(
      journey.steps.map((step) => [step.hop.detailType, step.offsetSeconds, step.sincePreviousSeconds]),
    ).toEqual([
      ["Commit Pushed", 0, 0],
      ["Build Started", 0, 0],
      ["Build Succeeded", 118, 118],
    ]);
    expect(journey).toMatchObject({
      app: "web",
      correlationId: "push-7a1c2f",
      durationSeconds: 118,
      status: "running",
    });
  });

  it("says a rejected image stopped the journey, with the scan's reason and blocking count", () => {
    // Arrange
    const hops = hopsOf(
      shiplineAt("Build Started", 2),
      shiplineAt("Image Pushed", 100),
      shiplineAt("Image Rejected", 160),
    );

    // Act
    const journey = buildJourney({ hops });

    // Assert
    expect(journey.status).toBe("rejected");
    expect(journey.reason).toBe("Image Rejected: 1 CRITICAL finding at or above HIGH (1 blocking finding)");
    expect(journey.steps.at(-1)?.mark).toBe("failed");
  });

  it("says an image the app's acceptance policy refused stopped the journey, with the reason", () => {
    // Arrange
    const hops = hopsOf(
      shiplineAt("Image Refused", 100, { reason: "tag 'dev-1' does not match accept.tags '^v'" }),
    );

    // Act
    const journey = buildJourney({ hops, environments: ENVIRONMENTS });

    // Assert
    expect(journey.status).toBe("rejected");
    expect(journey.reason).toBe("Image Refused: tag 'dev-1' does not match accept.tags '^v'");
    expect(journey.steps.at(-1)).toMatchObject({
      mark: "failed",
      hop: { step: "image-pushed", status: "refused by accept.branches" },
    });
  });

  it("says a failed build stopped the journey", () => {
    // Act
    const journey = buildJourney({
      hops: hopsOf(shiplineAt("Build Started", 2), shiplineAt("Build Failed", 90)),
    });

    // Assert
    expect(journey).toMatchObject({
      status: "failed",
      reason: "Build Failed: BUILD phase: npm test exited with code 1",
    });
  });

  it("says a failed deployment was rolled back once the rollback is committed", () => {
    // Arrange
    const hops = hopsOf(
      ...upToStaging().slice(0, 7),
      shiplineAt("Deployment Failed", 300),
      shiplineAt("Rollback Committed", 310),
    );

    // Act
    const journey = buildJourney({ hops });

    // Assert
    expect(journey.status).toBe("rolled-back");
    expect(journey.reason).toBe(
      "Deployment Failed in staging: Deployment web is Degraded: readiness probe failed; rolled back by config commit 9fceb02",
    );
  });

  it("stays rolled back after the revert's own commit, sync and verification, naming what runs instead", () => {
    // Arrange: the revert's hops carry the image it restored; delivered out of order.
    const restored = { tag: "1.3.0-0a1b2c3", digest: `sha256:${"a".repeat(64)}` };
    const hops = hopsOf(
      shiplineAt("Deployment Verified", 330, { kind: "revert", digest: restored.digest }),
      ...upToStaging().slice(0, 7),
      shiplineAt("Deployment Failed", 300),
      shiplineAt("Config Committed", 309, { kind: "revert", ...restored }),
      shiplineAt("Rollback Committed", 310, { restored }),
      shiplineAt("Sync Requested", 311, { kind: "revert", ...restored }),
    );

    // Act
    const journey = buildJourney({ hops });

    // Assert
    expect(journey.status).toBe("rolled-back");
    expect(journey.reason).toMatch(/; 1\.3\.0-0a1b2c3 runs instead$/);
  });

  it("says a person took the image out, by whom and how to release it", () => {
    // Arrange
    const hops = hopsOf(
      ...upToStaging(),
      shiplineAt("Hold Placed", 400, { placedBy: "Alice Operator", reason: 'Revert "deploy(staging): web"' }),
    );

    // Act
    const journey = buildJourney({ hops });

    // Assert
    expect(journey).toMatchObject({
      status: "rolled-back",
      reason: `taken out of staging by Alice Operator: Revert "deploy(staging): web" (release with 'shipline release web staging')`,
    });
  });

  it("reads superseded when a newer commit runs where it was verified, never failed", () => {
    // Arrange
    const hops = hopsOf(...upToStaging());
    const newer = {
      commit: "b".repeat(40),
      correlationId: "push-2",
      tag: "1.5.0-bbbbbbb",
      since: "2026-03-01T13:00:00Z",
    };

    // Act
    const journey = buildJourney({
      hops,
      states: [
        {
          app: "web",
          environment: "staging",
          phase: "verified",
          commit: newer.commit,
          correlationId: newer.correlationId,
          since: newer.since,
          lastDetailType: "Deployment Verified",
          deployed: newer,
        },
      ],
    });

    // Assert
    expect(journey).toMatchObject({
      status: "superseded",
      reason: "superseded: staging now runs 1.5.0-bbbbbbb (bbbbbbb)",
    });
  });

  it("says what a journey waits for from promote's Promotion Waiting, without the configuration", () => {
    // Arrange
    const hops = hopsOf(
      ...upToStaging(),
      shiplineAt("Promotion Waiting", 260, {
        environment: "production",
        waitingFor: "approval",
        command: "shipline approve web production sha256:dddd",
      }),
    );

    // Act
    const journey = buildJourney({ hops });

    // Assert
    expect(journey).toMatchObject({
      status: "waiting",
      reason: "waiting for approval to enter production: shipline approve web production sha256:dddd",
    });
  });

  it("reads superseded when promote refused the image as older than what runs", () => {
    // Arrange
    const hops = hopsOf(
      ...upToStaging().slice(0, 5),
      shiplineAt("Promotion Refused", 181, { environment: "staging", refusal: "would-downgrade" }),
    );

    // Act
    const journey = buildJourney({ hops });

    // Assert
    expect(journey).toMatchObject({
      status: "superseded",
      reason: "superseded: 1.4.0-f485fcc would downgrade production: production runs a newer commit",
    });
    expect(journey.steps.at(-1)?.mark).toBe("failed");
  });

  it("reads stuck when the last step is past its deadline, naming what it waits on", () => {
    // Arrange: the sync was requested at +186s and nothing came after it.
    const hops = hopsOf(...upToStaging().slice(0, 7));
    const at = (seconds: number) => new Date(Date.parse("2026-03-01T12:00:00Z") + seconds * 1000);

    // Act
    const early = buildJourney({ hops, now: at(186 + 300), deadlines: { verifySeconds: { staging: 300 } } });
    const late = buildJourney({ hops, now: at(186 + 400), deadlines: { verifySeconds: { staging: 300 } } });

    // Assert
    expect(early.status).toBe("running");
    expect(late).toMatchObject({
      status: "stuck",
      reason: expect.stringMatching(
        /^stuck: no progress for 400s after Sync Requested in staging, waiting on the cluster agent \(staging\) \(deadline 360s\)/,
      ),
    });
  });

  it("says a Step Failed stopped the journey only when nothing moved after it", () => {
    // Act
    const stopped = buildJourney({
      hops: hopsOf(shiplineAt("Build Started", 2), shiplineAt("Step Failed", 5)),
    });
    const movedOn = buildJourney({
      hops: hopsOf(
        shiplineAt("Build Started", 2),
        shiplineAt("Step Failed", 5),
        shiplineAt("Build Succeeded", 90),
      ),
    });

    // Assert
    expect(stopped).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/^Step Failed in start-build: CONFIG_INVALID/),
    });
    expect(movedOn.status).toBe("running");
  });

  it("waits for approval to enter a manual environment once the one before is verified", () => {
    // Act
    const journey = buildJourney({ hops: hopsOf(...upToStaging()), environments: ENVIRONMENTS });

    // Assert
    expect(journey).toMatchObject({
      status: "waiting",
      reason: "waiting for approval to enter production (shipline approve)",
    });
    expect(journey.environments).toEqual([
      { name: "staging", phase: "verified", at: "2026-03-01T12:04:10Z" },
    ]);
  });

  it("waits on a pull request under review", () => {
    // Act
    const journey = buildJourney({
      hops: hopsOf(...upToStaging(), shiplineAt("Pull Request Opened", 260)),
      environments: ENVIRONMENTS,
    });

    // Assert
    expect(journey.reason).toBe(
      "waiting for approval in production: review pull request https://github.com/acme/deploy/pull/42",
    );
    expect(journey.steps.at(-1)?.mark).toBe("waiting");
  });

  it("is deployed once verified in every configured environment, or everywhere it went when none are known", () => {
    // Arrange
    const production = { environment: "production" };
    const hops = hopsOf(
      ...upToStaging(),
      shiplineAt("Promotion Approved", 400),
      shiplineAt("Config Committed", 410, production),
      shiplineAt("Deployment Verified", 480, production),
    );

    // Act
    const configured = buildJourney({ hops, environments: ENVIRONMENTS });
    const unconfigured = buildJourney({ hops: hopsOf(...upToStaging()) });

    // Assert
    expect(configured).toMatchObject({ status: "deployed", reason: "verified in staging, production" });
    expect(unconfigured).toMatchObject({ status: "deployed", reason: "verified in staging" });
  });

  it("refuses to build a journey of no hops", () => {
    // Act
    const act = () => buildJourney({ hops: [] });

    // Assert
    expect(act).toThrow(RangeError);
  });
});
