import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { ledgerEntryOf } from "../../../../functions/core/ledger/ledger-entry-of.js";
import { ENVIRONMENT_HOP_PREFIX, ENVIRONMENT_PREFIX } from "../../../../functions/core/ledger/ledger-keys.js";
import { recordHop } from "../../../../functions/core/ledger/record-hop.js";
import { main } from "../../../../functions/local/cli/main.js";
import { SOURCE_COMMIT } from "../../core/contracts/detail-examples.js";
import { shiplineAt } from "../../core/ledger/ledger-test-kit.js";
import { captureIo } from "../bus/capture-io.js";

const OTHER_COMMIT = "a399698fbd740af9c78fb2dd7f667656b70646b6";

describe("shipline trace", () => {
  let dir: string;
  let store: FileDocumentStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-trace-"));
    store = new FileDocumentStore({ directory: join(dir, ".shipline", "store") });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function record(...events: EventEnvelope[]): Promise<void> {
    for (const event of events)
      await recordHop({ store, event, productionEnvironments: new Set(["production"]) });
  }

  it("prints a rejected journey as a timeline with marks, durations and the reason, and exits 1", async () => {
    // Arrange
    await record(
      shiplineAt("Commit Pushed", 0),
      shiplineAt("Build Started", 2, { logsUrl: "https://logs.example/build/1" }),
      shiplineAt("Image Pushed", 95),
      shiplineAt("Image Rejected", 155),
    );
    const capture = captureIo(dir);

    // Act
    const code = await main(["trace", SOURCE_COMMIT.slice(0, 7)], capture.io);

    // Assert
    expect(code).toBe(1);
    const out = capture.stdout();
    expect(out).toMatch(/^web @ f485fcc {2}REJECTED: Image Rejected: 1 CRITICAL finding at or above HIGH/);
    expect(out).toMatch(
      /✓\s+12:00:02\s+\+2s\s+\(2s\)\s+Build Started\s+start-build\s+.*log: https:\/\/logs\.example\/build\/1/,
    );
    expect(out).toMatch(/✗\s+12:02:35\s+\+2m35s\s+\(1m00s\)\s+Image Rejected\s+scan-gate/);
    expect(out).toContain(
      "Stopped: Image Rejected: 1 CRITICAL finding at or above HIGH (1 blocking finding)",
    );
  });

  it("traces an app's latest commit and exits 0 while it is still running", async () => {
    // Arrange
    await record(shiplineAt("Build Started", 2, { commit: OTHER_COMMIT }), shiplineAt("Build Started", 500));
    const capture = captureIo(dir);

    // Act: a minute after the build started.
    const code = await main(["trace", "web"], { ...capture.io, now: () => new Date("2026-03-01T12:09:20Z") });

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toMatch(/^web @ f485fcc {2}RUNNING: still running: last Build Started/);
  });

  it("says a journey is stuck, and exits 1, once its step is past its deadline", async () => {
    // Arrange
    await record(shiplineAt("Build Started", 500));
    const capture = captureIo(dir);

    // Act: two hours after the build started (the build's deadline is an hour).
    const code = await main(["trace", "web"], { ...capture.io, now: () => new Date("2026-03-01T14:08:20Z") });

    // Assert
    expect(code).toBe(1);
    expect(capture.stdout()).toMatch(
      /^web @ f485fcc {2}STUCK: stuck: no progress for 7200s after Build Started, waiting on the build/,
    );
  });

  it("prints the journey as JSON with --json", async () => {
    // Arrange
    await record(
      shiplineAt("Image Approved", 10),
      shiplineAt("Deployment Verified", 60),
      shiplineAt("Deployment Verified", 90, { environment: "production" }),
    );
    const capture = captureIo(dir);

    // Act
    const code = await main(["trace", SOURCE_COMMIT, "--json"], capture.io);

    // Assert
    expect(code).toBe(0);
    const journey = JSON.parse(capture.stdout());
    expect(journey).toMatchObject({ app: "web", commit: SOURCE_COMMIT, status: "deployed" });
    expect(journey.steps.map((step: { hop: { detailType: string } }) => step.hop.detailType)).toEqual([
      "Image Approved",
      "Deployment Verified",
      "Deployment Verified",
    ]);
  });

  it("exits 1 naming the file when --config is not a valid configuration", async () => {
    // Arrange
    await record(shiplineAt("Build Started", 2));
    await writeFile(join(dir, "broken.yaml"), "version: 1\n");
    const capture = captureIo(dir);

    // Act
    const code = await main(["trace", "web", "--config", "broken.yaml"], capture.io);

    // Assert
    expect(code).toBe(1);
    expect(capture.stderr()).toContain("broken.yaml");
  });

  it("shows a push no app's build is recorded for", async () => {
    // Arrange
    await record(shiplineAt("Commit Pushed", 0));
    const capture = captureIo(dir);

    // Act
    const code = await main(["trace", SOURCE_COMMIT], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toContain("f485fcc  PUSHED: no app's build is recorded for this commit");
  });

  it("exits 3 for a commit or app the ledger never saw, and 2 for an ambiguous prefix", async () => {
    // Arrange
    await record(
      shiplineAt("Build Started", 2, { commit: "f485fcc0000000000000000000000000000000aa" }),
      shiplineAt("Build Started", 2),
    );
    const missing = captureIo(dir);
    const ambiguous = captureIo(dir);
    const unknownApp = captureIo(dir);

    // Act
    const missingCode = await main(["trace", "0123456789"], missing.io);
    const ambiguousCode = await main(["trace", "f485fcc"], ambiguous.io);
    const unknownAppCode = await main(["trace", "billing"], unknownApp.io);

    // Assert
    expect([missingCode, ambiguousCode, unknownAppCode]).toEqual([3, 2, 3]);
    expect(missing.stderr()).toContain(
      `no journey of '0123456789' is recorded in ${join(dir, ".shipline", "store", "ledger.json")}`,
    );
    expect(ambiguous.stderr()).toContain("commit prefix 'f485fcc' matches 2 commits");
  });

  it("exits 2 for a target that is neither a commit nor an app name", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["trace", "Not_An_App"], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("'Not_An_App' is neither a commit");
  });
});

describe("shipline trace --aws", () => {
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;

  beforeEach(() => {
    dynamo = mockClient(DynamoDBDocumentClient);
  });

  afterEach(() => {
    dynamo.restore();
  });

  it("reads the journey from the DynamoDB ledger table named by SHIPLINE_LEDGER_TABLE", async () => {
    // Arrange
    const entry = ledgerEntryOf(shiplineAt("Build Failed", 90));
    if (entry.kind !== "entry") throw new Error("Build Failed is recorded");
    const commitIndex = {
      app: "web",
      commit: SOURCE_COMMIT,
      correlationId: "push-7a1c2f",
      firstAt: entry.hop.at,
      lastAt: entry.hop.at,
      lastDetailType: "Build Failed",
    };
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo
      .on(
        QueryCommand,
        { TableName: "ShiplineLedger", ExpressionAttributeValues: { ":pk": "app#web" } },
        false,
      )
      .resolves({ Items: [{ pk: "app#web", sk: `commit#${SOURCE_COMMIT}`, value: commitIndex }] });
    dynamo
      .on(
        QueryCommand,
        { ExpressionAttributeValues: { ":pk": "app#web", ":prefix": ENVIRONMENT_PREFIX } },
        false,
      )
      .resolves({ Items: [] });
    dynamo
      .on(
        QueryCommand,
        { ExpressionAttributeValues: { ":pk": "app#web", ":prefix": ENVIRONMENT_HOP_PREFIX } },
        false,
      )
      .resolves({ Items: [] });
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ":pk": `journey#web#${SOURCE_COMMIT}` } }, false)
      .resolves({
        Items: [{ pk: `journey#web#${SOURCE_COMMIT}`, sk: `${entry.hop.at}#x`, value: entry.hop }],
      });
    const capture = captureIo("/", { SHIPLINE_LEDGER_TABLE: "ShiplineLedger", AWS_REGION: "eu-west-1" });

    // Act
    const code = await main(["trace", "web", "--aws"], capture.io);

    // Assert
    expect(code).toBe(1);
    expect(capture.stdout()).toContain("FAILED: Build Failed: BUILD phase: npm test exited with code 1");
    expect(
      dynamo.commandCalls(QueryCommand).every((call) => call.args[0].input.TableName === "ShiplineLedger"),
    ).toBe(true);
  });
});
