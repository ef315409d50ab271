import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ledgerEntryOf } from "../../../../functions/core/ledger/ledger-entry-of.js";
import { main } from "../../../../functions/local/cli/main.js";
import { IMAGE_DIGEST, SOURCE_COMMIT } from "../../core/contracts/detail-examples.js";
import { shiplineAt } from "../../core/ledger/ledger-test-kit.js";
import { captureIo } from "../bus/capture-io.js";

const AWS_ENV = {
  SHIPLINE_EVENT_BUS: "ShiplineBus",
  SHIPLINE_PROMOTION_TABLE: "ShiplinePromotion",
  SHIPLINE_LEDGER_TABLE: "ShiplineLedger",
  AWS_REGION: "eu-west-1",
  USER: "alice",
};

const IMAGE = {
  app: "web",
  repository: "web",
  tag: "1.4.0-f485fcc",
  digest: IMAGE_DIGEST,
  commit: SOURCE_COMMIT,
  correlationId: "push-7a1c2f",
  approvedAt: "2026-03-01T12:00:00.000Z",
};

/** The hop the ledger records for an event, as its DynamoDB item. */
function ledgerItem(event: ReturnType<typeof shiplineAt>) {
  const entry = ledgerEntryOf(event);
  if (entry.kind !== "entry") throw new Error(`${event["detail-type"]} is recorded`);
  return { pk: `journey#web#${SOURCE_COMMIT}`, sk: `${entry.hop.at}#${entry.hop.eventId}`, value: entry.hop };
}

describe("promotion commands with --aws", () => {
  let eventBridge: AwsClientStub<EventBridgeClient>;
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;

  beforeEach(() => {
    eventBridge = mockClient(EventBridgeClient);
    dynamo = mockClient(DynamoDBDocumentClient);
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: "event-approved" }] });
    dynamo.on(GetCommand).resolves({});
    dynamo
      .on(GetCommand, { TableName: "ShiplinePromotion", Key: { pk: "app#web", sk: `image#${IMAGE_DIGEST}` } })
      .resolves({ Item: { pk: "app#web", sk: `image#${IMAGE_DIGEST}`, value: IMAGE } });
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  afterEach(() => {
    eventBridge.restore();
    dynamo.restore();
  });

  it("approves on the deployed bus, with the image read from promote's DynamoDB table", async () => {
    // Arrange
    const capture = captureIo("/", AWS_ENV);

    // Act
    const code = await main(["approve", "web", "production", IMAGE_DIGEST, "--aws"], capture.io);

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    const [entry] = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(entry).toMatchObject({
      EventBusName: "ShiplineBus",
      Source: "shipline",
      DetailType: "Promotion Approved",
    });
    expect(JSON.parse(entry?.Detail ?? "{}")).toMatchObject({
      app: "web",
      environment: "production",
      digest: IMAGE_DIGEST,
      commit: SOURCE_COMMIT,
      correlationId: "push-7a1c2f",
      approvedBy: "alice",
    });
    expect(capture.stdout()).toContain("(event event-approved)");
  });

  it("waits with --wait until the ledger table records the image verified in the environment", async () => {
    // Arrange
    const approved = shiplineAt("Promotion Approved", 0, { environment: "production" }, "event-approved");
    dynamo.on(QueryCommand, { TableName: "ShiplineLedger" }).resolves({
      Items: [
        ledgerItem(approved),
        ledgerItem(shiplineAt("Config Committed", 5, { environment: "production", digest: IMAGE_DIGEST })),
        ledgerItem(
          shiplineAt("Deployment Verified", 20, { environment: "production", digest: IMAGE_DIGEST }),
        ),
      ],
    });
    const capture = captureIo("/", AWS_ENV);

    // Act
    const code = await main(["approve", "web", "production", IMAGE_DIGEST, "--aws", "--wait"], capture.io);

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    expect(capture.stdout()).toContain(
      "✓ Deployment Verified: production runs 1.4.0-f485fcc, Synced and Healthy\n",
    );
  });

  it.each([
    [
      ["hold", "web", "production", "--reason", "change freeze", "--commit", SOURCE_COMMIT, "--aws"],
      "Hold Placed",
      { placedBy: "alice", reason: "change freeze" },
    ],
    [
      ["release", "web", "production", "--commit", SOURCE_COMMIT, "--aws"],
      "Hold Released",
      { releasedBy: "alice" },
    ],
  ])("puts %j's event on the deployed bus", async (args, detailType, detail) => {
    // Arrange
    const capture = captureIo("/", AWS_ENV);

    // Act
    const code = await main(args, capture.io);

    // Assert
    expect(capture.stderr()).toBe("");
    expect(code).toBe(0);
    const [entry] = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(entry).toMatchObject({ EventBusName: "ShiplineBus", DetailType: detailType });
    expect(JSON.parse(entry?.Detail ?? "{}")).toMatchObject({
      app: "web",
      environment: "production",
      ...detail,
    });
  });

  it.each([
    [
      { ...AWS_ENV, SHIPLINE_EVENT_BUS: "" },
      "--aws needs --bus <name> or SHIPLINE_EVENT_BUS set (the stack's EventBusName output)",
    ],
    [
      { ...AWS_ENV, SHIPLINE_PROMOTION_TABLE: "" },
      "--aws needs --promotion-table <name> or SHIPLINE_PROMOTION_TABLE set (the stack's PromotionTableName output)",
    ],
  ])("names the flag, variable and stack output it misses, with exit code 2", async (env, message) => {
    // Arrange
    const capture = captureIo("/", env);

    // Act
    const code = await main(["release", "web", "production", "--aws"], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr().split("\n")[0]).toBe(`shipline release: ${message}`);
    expect(eventBridge.commandCalls(PutEventsCommand)).toEqual([]);
  });
});
