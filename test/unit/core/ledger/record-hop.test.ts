import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { eventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { LedgerReader } from "../../../../functions/core/ledger/ledger-reader.js";
import { recordHop } from "../../../../functions/core/ledger/record-hop.js";
import { CONFIG_COMMIT, IMAGE_DIGEST, SOURCE_COMMIT } from "../contracts/detail-examples.js";
import { readFixture, withChange } from "../contracts/samples.js";
import { shiplineAt, temporaryStore } from "./ledger-test-kit.js";

const PRODUCTION = new Set(["production"]);
const REVERT_COMMIT = "9fceb02d0ae598e95dc970b74767f19372d61af8";

describe("recordHop", () => {
  let store: FileDocumentStore;
  let cleanUp: () => Promise<void>;
  let reader: LedgerReader;

  beforeEach(async () => {
    ({ store, cleanUp } = await temporaryStore());
    reader = new LedgerReader({ store });
  });

  afterEach(async () => {
    await cleanUp();
  });

  const record = (event: ReturnType<typeof shiplineAt>) =>
    recordHop({ store, event, productionEnvironments: PRODUCTION });

  it("records a hop once per event id and reports a redelivery as a duplicate", async () => {
    // Arrange
    const event = shiplineAt("Build Started", 2);

    // Act
    const first = await record(event);
    const again = await record({ ...event, "replay-name": "refill" });

    // Assert
    expect(first).toMatchObject({
      kind: "recorded",
      metrics: [{ name: "EventRecorded", value: 1, dimensions: { detailType: "Build Started" } }],
    });
    expect(again.kind).toBe("duplicate");
    expect(await reader.journey("web", SOURCE_COMMIT)).toHaveLength(1);
    expect(await reader.apps()).toEqual(["web"]);
    expect(await reader.latestCommit("web")).toMatchObject({
      commit: SOURCE_COMMIT,
      lastDetailType: "Build Started",
    });
  });

  it("joins the push to the journey of every app the commit is built for", async () => {
    // Arrange
    await record(shiplineAt("Commit Pushed", 0));
    await record(shiplineAt("Build Started", 2));
    await record(shiplineAt("Build Started", 2, { app: "api" }));

    // Act
    const web = await reader.journey("web", SOURCE_COMMIT);
    const api = await reader.journey("api", SOURCE_COMMIT);

    // Assert
    expect(web.map((hop) => [hop.detailType, hop.app])).toEqual([
      ["Commit Pushed", "web"],
      ["Build Started", "web"],
    ]);
    expect(api.map((hop) => hop.detailType)).toEqual(["Commit Pushed", "Build Started"]);
  });

  it("ties an ECR scan to the journey whose Image Pushed announced its digest", async () => {
    // Arrange
    await record(shiplineAt("Image Pushed", 110));
    const scan = eventEnvelope.parse(
      withChange(
        withChange(readFixture("aws/ecr-image-scan.complete.json"), ["detail", "repository-name"], {
          set: "web",
        }),
        ["detail", "image-digest"],
        { set: IMAGE_DIGEST },
      ),
    );

    // Act
    const outcome = await recordHop({ store, event: scan, productionEnvironments: PRODUCTION });

    // Assert
    expect(outcome).toMatchObject({
      kind: "recorded",
      hop: {
        app: "web",
        commit: SOURCE_COMMIT,
        correlationId: "push-7a1c2f",
        step: "ecr",
        digest: IMAGE_DIGEST,
      },
    });
    const recorded = (await reader.journey("web", SOURCE_COMMIT)).map((hop) => hop.detailType);
    expect(recorded.sort()).toEqual(["ECR Image Scan", "Image Pushed"]);
  });

  it("ignores an ECR scan of an image no journey announced", async () => {
    // Arrange
    const scan = eventEnvelope.parse(readFixture("aws/ecr-image-scan.complete.json"));

    // Act
    const outcome = await recordHop({ store, event: scan, productionEnvironments: PRODUCTION });

    // Assert
    expect(outcome).toMatchObject({
      kind: "ignored",
      reason: expect.stringContaining(
        "shipline-demo/app@sha256:ac77fdafc6f72fb6541e841098e185dd63368392b6c959a5998f9cdd6965d19e",
      ),
    });
  });

  it("keeps each environment's state: what runs there and the latest change", async () => {
    // Arrange
    await record(shiplineAt("Config Committed", 160));
    await record(shiplineAt("Sync Requested", 161));

    // Act
    await record(shiplineAt("Deployment Verified", 200));
    const [staging] = await reader.environments("web");

    // Assert
    expect(staging).toMatchObject({
      environment: "staging",
      phase: "verified",
      health: "Healthy",
      deployed: {
        commit: SOURCE_COMMIT,
        tag: "1.4.0-f485fcc",
        digest: IMAGE_DIGEST,
        configCommit: CONFIG_COMMIT,
        since: "2026-03-01T12:03:20Z",
      },
    });
  });

  it("does not let an older event move an environment's state back", async () => {
    // Arrange
    await record(shiplineAt("Deployment Verified", 200));

    // Act
    await record(shiplineAt("Sync Requested", 100));
    const [staging] = await reader.environments("web");

    // Assert
    expect(staging?.phase).toBe("verified");
  });

  it("measures lead time from the commit's own time to verified in production, and emits it", async () => {
    // Arrange
    await record(
      shiplineAt("Commit Pushed", 0, {
        commits: [{ id: SOURCE_COMMIT, message: "x", timestamp: "2026-03-01T11:58:00Z" }],
      }),
    );

    // Act
    const outcome = await record(shiplineAt("Deployment Verified", 600, { environment: "production" }));

    // Assert
    const dimensions = { app: "web", environment: "production" };
    expect(outcome).toMatchObject({
      kind: "recorded",
      metrics: expect.arrayContaining([
        { name: "DeploymentVerified", unit: "Count", value: 1, dimensions },
        { name: "LeadTimeSeconds", unit: "Seconds", value: 720, dimensions },
      ]),
    });
    expect(await reader.deployments("web")).toEqual([
      expect.objectContaining({
        production: true,
        outcome: "verified",
        kind: "update",
        leadTimeSeconds: 720,
      }),
    ]);
  });

  it("measures time to restore from the first failure to the next verified deployment of that environment", async () => {
    // Arrange
    const production = { environment: "production" };
    await record(shiplineAt("Deployment Verified", 100, production));
    await record(shiplineAt("Deployment Failed", 400, production));
    await record(shiplineAt("Rollback Committed", 410, production));

    // Act
    const restored = await record(
      shiplineAt("Deployment Verified", 500, { ...production, kind: "revert", revision: REVERT_COMMIT }),
    );

    // Assert
    const metrics = restored.kind === "recorded" ? restored.metrics.map((metric) => metric.name) : [];
    expect(metrics).toEqual(["EventRecorded", "TimeToRestoreSeconds"]);
    expect(restored).toMatchObject({
      metrics: expect.arrayContaining([expect.objectContaining({ value: 100 })]),
    });
    const outcomes = await reader.deployments("web");
    expect(outcomes.map((entry) => [entry.outcome, entry.kind, entry.restoreSeconds])).toEqual([
      ["verified", "update", undefined],
      ["failed", "update", undefined],
      ["verified", "revert", 100],
    ]);
    const [state] = await reader.environments("web");
    expect(state).toMatchObject({ phase: "rolled-back", deployed: { since: "2026-03-01T12:01:40Z" } });
    expect(state?.failingSince).toBeUndefined();
  });

  it("counts a person's revert as a failed change and measures restore from it to its verification", async () => {
    // Arrange
    const production = { environment: "production" };
    await record(shiplineAt("Deployment Verified", 100, production));
    const revert = {
      ...production,
      kind: "revert",
      by: "person",
      author: "Alice",
      configCommit: REVERT_COMMIT,
    };

    // Act
    const reverted = await record(shiplineAt("Config Committed", 300, revert));
    const restored = await record(
      shiplineAt("Deployment Verified", 330, { ...production, kind: "revert", revision: REVERT_COMMIT }),
    );

    // Assert
    const names = (outcome: typeof reverted) =>
      outcome.kind === "recorded" ? outcome.metrics.map((metric) => metric.name) : [];
    expect(names(reverted)).toContain("DeploymentFailed");
    expect(names(restored)).toContain("TimeToRestoreSeconds");
    const outcomes = await reader.deployments("web");
    expect(outcomes.map((entry) => [entry.outcome, entry.restoreSeconds])).toEqual([
      ["verified", undefined],
      ["failed", undefined],
      ["verified", 30],
    ]);
  });

  it("emits DeploymentFailed for a failure and no lead time outside production", async () => {
    // Act
    const failed = await record(shiplineAt("Deployment Failed", 400));
    const verified = await record(shiplineAt("Deployment Verified", 500));

    // Assert
    expect(failed).toMatchObject({
      metrics: expect.arrayContaining([
        {
          name: "DeploymentFailed",
          unit: "Count",
          value: 1,
          dimensions: { app: "web", environment: "staging" },
        },
      ]),
    });
    const names = verified.kind === "recorded" ? verified.metrics.map((metric) => metric.name) : [];
    expect(names).toEqual(["EventRecorded", "DeploymentVerified", "TimeToRestoreSeconds"]);
  });
});
