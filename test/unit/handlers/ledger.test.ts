import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { LedgerReader } from "../../../functions/core/ledger/ledger-reader.js";
import { createLedgerHandler } from "../../../functions/handlers/ledger.js";
import { readLedgerEnvironment } from "../../../functions/handlers/ledger-environment.js";
import type { StepDeps } from "../../../functions/handlers/shared/create-step-deps.js";
import { SOURCE_COMMIT } from "../core/contracts/detail-examples.js";
import { shiplineAt } from "../core/ledger/ledger-test-kit.js";
import { handlerDeps } from "./handler-test-kit.js";
import { type InMemoryPublisher, lambdaContext, OutputCapture } from "./shared/step-test-kit.js";

describe("ledger handler", () => {
  let output: OutputCapture;
  let deps: StepDeps;
  let store: FileDocumentStore;
  let publisher: InMemoryPublisher;
  let cleanUp: () => Promise<void>;

  beforeEach(async () => {
    ({ deps, store, publisher, cleanUp } = await handlerDeps("ledger"));
    output = new OutputCapture();
    output.start();
  });

  afterEach(async () => {
    output.stop();
    await cleanUp();
  });

  const handler = () =>
    createLedgerHandler({ ...deps, store, productionEnvironments: new Set(["production"]) });

  /** The EMF records of one metric. */
  const emf = (name: string) => output.records().filter((record) => "_aws" in record && name in record);

  it("records the event in the ledger and emits it per detail type", async () => {
    // Act
    const outcome = await handler()(shiplineAt("Build Started", 2), lambdaContext());

    // Assert
    expect(outcome?.kind).toBe("recorded");
    expect(await new LedgerReader({ store }).journey("web", SOURCE_COMMIT)).toHaveLength(1);
    expect(emf("EventRecorded")).toEqual([
      expect.objectContaining({
        EventRecorded: 1,
        service: "ledger",
        detailType: "Build Started",
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            expect.objectContaining({
              Namespace: "ShiplineTest",
              Dimensions: expect.arrayContaining([["service"], ["service", "detailType"]]),
            }),
          ],
        }),
      }),
    ]);
  });

  it("emits DeploymentVerified and LeadTimeSeconds by app and environment on a production verify", async () => {
    // Arrange
    const handle = handler();
    await handle(shiplineAt("Commit Pushed", 0), lambdaContext());

    // Act
    await handle(shiplineAt("Deployment Verified", 900, { environment: "production" }), lambdaContext());

    // Assert
    const dimensions = expect.arrayContaining([["service"], ["service", "app", "environment"]]);
    expect(emf("DeploymentVerified")).toEqual([
      expect.objectContaining({
        DeploymentVerified: 1,
        app: "web",
        environment: "production",
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Dimensions: dimensions })],
        }),
      }),
    ]);
    expect(emf("LeadTimeSeconds")).toEqual([
      expect.objectContaining({
        LeadTimeSeconds: 900,
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            expect.objectContaining({ Metrics: [{ Name: "LeadTimeSeconds", Unit: "Seconds" }] }),
          ],
        }),
      }),
    ]);
  });

  it("emits DeploymentFailed, then TimeToRestoreSeconds when the environment recovers", async () => {
    // Arrange
    const handle = handler();
    await handle(shiplineAt("Deployment Failed", 100, { environment: "production" }), lambdaContext());

    // Act
    await handle(
      shiplineAt("Deployment Verified", 400, { environment: "production", kind: "revert" }),
      lambdaContext(),
    );

    // Assert
    expect(emf("DeploymentFailed")).toEqual([
      expect.objectContaining({ DeploymentFailed: 1, environment: "production" }),
    ]);
    expect(emf("TimeToRestoreSeconds")).toEqual([expect.objectContaining({ TimeToRestoreSeconds: 300 })]);
    expect(emf("DeploymentVerified")).toEqual([]);
  });

  it("emits nothing for a redelivered event", async () => {
    // Arrange
    const handle = handler();
    const event = shiplineAt("Deployment Failed", 100);
    await handle(event, lambdaContext());

    // Act
    const outcome = await handle(event, lambdaContext());

    // Assert
    expect(outcome?.kind).toBe("duplicate");
    expect(emf("DeploymentFailed")).toHaveLength(1);
  });

  it("records a broken detail as one Step Failed and writes nothing", async () => {
    // Act
    const outcome = await handler()(shiplineAt("Image Approved", 0, { digest: "latest" }), lambdaContext());

    // Assert
    expect(outcome).toBeUndefined();
    expect(publisher.published.map((entry) => entry.DetailType)).toEqual(["Step Failed"]);
    expect(await new LedgerReader({ store }).apps()).toEqual([]);
  });
});

describe("readLedgerEnvironment", () => {
  it("names every missing setting at once", () => {
    // Act
    const act = () => readLedgerEnvironment({ bundleDir: "/", env: { EVENT_BUS_NAME: "shipline" } });

    // Assert
    expect(act).toThrow(/LEDGER_TABLE: is not set.*CONFIG_FILE: is not set/);
  });
});
