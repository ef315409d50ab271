import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fifoId, SqsWriteQueue } from "../../../../functions/adapters/aws/sqs-write-queue.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/shipline-writer.fifo";

function awsError(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

async function rejectionOf(promise: Promise<unknown>): Promise<ShiplineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError, but the promise resolved");
}

describe("SqsWriteQueue", () => {
  const sqs = mockClient(SQSClient);
  let queue: SqsWriteQueue;

  beforeEach(() => {
    sqs.reset();
    queue = new SqsWriteQueue({ client: new SQSClient({ region: "eu-west-1" }), queueUrl: QUEUE_URL });
  });

  afterEach(() => {
    sqs.reset();
  });

  it("sends a message with its FIFO group and deduplication id", async () => {
    // Arrange
    sqs.on(SendMessageCommand).resolves({ MessageId: "m-1" });

    // Act
    const result = await queue.send({
      body: '{"intentId":"evt-1/dev"}',
      groupId: "https://github.com/acme/deploy.git#main",
      deduplicationId: "evt-1/dev",
    });

    // Assert
    expect(result).toEqual({ messageId: "m-1" });
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: '{"intentId":"evt-1/dev"}',
      MessageGroupId: "https://github.com/acme/deploy.git#main",
      MessageDeduplicationId: "evt-1/dev",
    });
  });

  it("hashes a deduplication id SQS would refuse, the same way every time", async () => {
    // Arrange
    sqs.on(SendMessageCommand).resolves({ MessageId: "m-1" });
    const long = `soak-elapsed.shop.production.${"a".repeat(64)}/production-and-more-${"b".repeat(40)}`;

    // Act
    await queue.send({ body: "{}", groupId: "repo#main", deduplicationId: long });

    // Assert
    const sent = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageDeduplicationId;
    expect(sent).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(sent).toBe(fifoId(long));
    expect(fifoId("with space")).toMatch(/^sha256-/);
  });

  it("receives messages with their group and receive count", async () => {
    // Arrange
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        {
          MessageId: "m-1",
          ReceiptHandle: "r-1",
          Body: "{}",
          Attributes: { MessageGroupId: "repo#main", ApproximateReceiveCount: "2" },
        },
      ],
    });

    // Act
    const messages = await queue.receive({ maxMessages: 5, waitTimeSeconds: 20 });

    // Assert
    expect(messages).toEqual([
      { messageId: "m-1", receiptHandle: "r-1", body: "{}", groupId: "repo#main", receiveCount: 2 },
    ]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
      QueueUrl: QUEUE_URL,
      MaxNumberOfMessages: 5,
      WaitTimeSeconds: 20,
    });
  });

  it("deletes a message and changes its visibility by receipt handle", async () => {
    // Arrange
    sqs.on(DeleteMessageCommand).resolves({});
    sqs.on(ChangeMessageVisibilityCommand).resolves({});

    // Act
    await queue.changeVisibility("r-1", 60);
    await queue.delete("r-1");

    // Assert
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      ReceiptHandle: "r-1",
      VisibilityTimeout: 60,
    });
    expect(sqs.commandCalls(DeleteMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      ReceiptHandle: "r-1",
    });
  });

  it("fails retryably when SQS is unavailable and permanently when the queue does not exist", async () => {
    // Arrange
    sqs
      .on(SendMessageCommand)
      .rejectsOnce(awsError("ServiceUnavailable"))
      .rejectsOnce(awsError("QueueDoesNotExist"));

    // Act
    const unavailable = await rejectionOf(queue.send({ body: "{}", groupId: "g", deduplicationId: "d" }));
    const missing = await rejectionOf(queue.send({ body: "{}", groupId: "g", deduplicationId: "d" }));

    // Assert
    expect([unavailable.code, unavailable.retryable]).toEqual(["QUEUE_FAILED", true]);
    expect([missing.code, missing.retryable]).toEqual(["QUEUE_FAILED", false]);
    expect(missing.message).toContain(`SendMessage on ${QUEUE_URL} failed with QueueDoesNotExist`);
  });
});
