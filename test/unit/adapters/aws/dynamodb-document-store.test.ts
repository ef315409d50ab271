import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbDocumentStore } from "../../../../functions/adapters/aws/dynamodb-document-store.js";

const NOW = new Date("2026-03-01T12:00:00Z");
const NOW_SECONDS = NOW.getTime() / 1000;
const TABLE = "Shipline-Idempotency-1A2B";

describe("DynamoDbDocumentStore", () => {
  const documents = mockClient(DynamoDBDocumentClient);
  let store: DynamoDbDocumentStore;

  beforeEach(() => {
    documents.reset();
    store = new DynamoDbDocumentStore({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-west-1" })),
      tables: { idempotency: TABLE },
      clock: { now: () => NOW },
    });
  });

  afterEach(() => {
    documents.reset();
  });

  it("writes an item with its TTL in epoch seconds and a condition that lets expired items be replaced", async () => {
    // Arrange
    documents.on(PutCommand).resolves({});

    // Act
    const written = await store.put(
      "idempotency",
      { pk: "delivery#github:1", sk: "delivery" },
      { receivedAt: NOW },
      { ifAbsent: true, expiresAt: new Date(NOW.getTime() + 86_400_000) },
    );

    // Assert
    expect(written).toBe(true);
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: "delivery#github:1",
        sk: "delivery",
        value: { receivedAt: NOW.toISOString() },
        expiresAt: NOW_SECONDS + 86_400,
      },
      ConditionExpression: "attribute_not_exists(pk) OR expiresAt <= :now",
      ExpressionAttributeValues: { ":now": NOW_SECONDS },
    });
  });

  it("resolves false when a live item holds the key", async () => {
    // Arrange
    documents
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} }),
      );

    // Act
    const written = await store.put("idempotency", { pk: "a", sk: "b" }, 1, { ifAbsent: true });

    // Assert
    expect(written).toBe(false);
  });

  it("overwrites without a condition when ifAbsent is not set", async () => {
    // Arrange
    documents.on(PutCommand).resolves({});

    // Act
    await store.put("idempotency", { pk: "a", sk: "b" }, { n: 1 });

    // Assert
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.ConditionExpression).toBeUndefined();
  });

  it("reads a live item's value and hides an expired one DynamoDB has not deleted yet", async () => {
    // Arrange
    documents
      .on(GetCommand, { Key: { pk: "live", sk: "-" } })
      .resolves({ Item: { pk: "live", sk: "-", value: { ok: true }, expiresAt: NOW_SECONDS + 1 } })
      .on(GetCommand, { Key: { pk: "expired", sk: "-" } })
      .resolves({ Item: { pk: "expired", sk: "-", value: { ok: true }, expiresAt: NOW_SECONDS } });

    // Act
    const live = await store.get("idempotency", { pk: "live", sk: "-" });
    const expired = await store.get("idempotency", { pk: "expired", sk: "-" });

    // Assert
    expect(live).toEqual({ ok: true });
    expect(expired).toBeUndefined();
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      TableName: TABLE,
      ConsistentRead: true,
    });
  });

  it("queries every page of a partition by sort-key prefix, leaving out expired items", async () => {
    // Arrange
    documents
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ pk: "p", sk: "build#1", value: 1 }],
        LastEvaluatedKey: { pk: "p", sk: "build#1" },
      })
      .resolvesOnce({ Items: [{ pk: "p", sk: "build#2", value: 2, expiresAt: NOW_SECONDS + 60 }] });

    // Act
    const items = await store.query("idempotency", "p", { skPrefix: "build#" });

    // Assert
    expect(items).toEqual([
      { pk: "p", sk: "build#1", value: 1 },
      { pk: "p", sk: "build#2", value: 2 },
    ]);
    const calls = documents.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(calls[0]).toMatchObject({
      TableName: TABLE,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      FilterExpression: "attribute_not_exists(expiresAt) OR expiresAt > :now",
      ExpressionAttributeValues: { ":pk": "p", ":prefix": "build#", ":now": NOW_SECONDS },
    });
    expect(calls[1]?.ExclusiveStartKey).toEqual({ pk: "p", sk: "build#1" });
  });

  it("deletes by key", async () => {
    // Arrange
    documents.on(DeleteCommand).resolves({});

    // Act
    await store.delete("idempotency", { pk: "a", sk: "b" });

    // Assert
    expect(documents.commandCalls(DeleteCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: "a", sk: "b" },
    });
  });

  it("turns a throttle into a retryable STORE_FAILED", async () => {
    // Arrange
    const throttle = new Error("Rate exceeded");
    throttle.name = "ProvisionedThroughputExceededException";
    documents.on(GetCommand).rejects(throttle);

    // Act
    const read = store.get("idempotency", { pk: "a", sk: "b" });

    // Assert
    await expect(read).rejects.toMatchObject({ code: "STORE_FAILED", retryable: true });
  });

  it("refuses a table it has no physical name for", async () => {
    // Act
    const read = store.get("ledger", { pk: "a", sk: "b" });

    // Assert
    await expect(read).rejects.toMatchObject({ code: "STORE_TABLE_UNKNOWN", retryable: false });
    expect(documents.calls()).toHaveLength(0);
  });
});
