import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../../functions/local/cli/main.js";
import { SOURCE_COMMIT } from "../../core/contracts/detail-examples.js";
import { captureIo } from "../bus/capture-io.js";

const ACCOUNT = "123456789012";
const RULE_QUEUE = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/Shipline-promote-dead-letters`;
const WRITER_QUEUE = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/Shipline-WriterDeadLetters.fifo`;
const EMPTY_QUEUE = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/Shipline-notify-dead-letters`;
const arnOf = (url: string) => `arn:aws:sqs:eu-west-1:${ACCOUNT}:${url.split("/").at(-1)}`;
const AWS_ENV = {
  SHIPLINE_DEAD_LETTER_QUEUES: [RULE_QUEUE, WRITER_QUEUE, EMPTY_QUEUE].join(","),
  AWS_REGION: "eu-west-1",
};

/** An event EventBridge could not deliver to promote, as its rule's dead-letter queue holds it. */
const UNDELIVERED = {
  MessageId: "m-1",
  Body: JSON.stringify({
    version: "0",
    id: "event-approved-1",
    "detail-type": "Image Approved",
    source: "shipline",
    time: "2026-03-01T12:00:07Z",
    detail: { app: "web", commit: SOURCE_COMMIT },
  }),
  Attributes: { SentTimestamp: String(Date.parse("2026-03-01T12:00:09Z")) },
  MessageAttributes: {
    RULE_ARN: {
      DataType: "String",
      StringValue: "arn:aws:events:eu-west-1:123456789012:rule/shipline/promote-on-image-approved",
    },
    TARGET_ARN: {
      DataType: "String",
      StringValue: "arn:aws:lambda:eu-west-1:123456789012:function:Shipline-Promote",
    },
    ERROR_CODE: { DataType: "String", StringValue: "SDK_CLIENT_ERROR" },
    ERROR_MESSAGE: { DataType: "String", StringValue: "Function is throttled" },
    RETRY_ATTEMPTS: { DataType: "String", StringValue: "185" },
  },
};

/** A write intent the writer's queue moved aside after too many receives. */
const FAILED_INTENT = {
  MessageId: "m-2",
  Body: JSON.stringify({
    intentId: "intent-9",
    app: "web",
    environment: "production",
    image: { tag: "1.4.0-f485fcc" },
  }),
  Attributes: { SentTimestamp: String(Date.parse("2026-03-01T12:05:00Z")), ApproximateReceiveCount: "5" },
};

describe("shipline dlq --aws", () => {
  let sqs: AwsClientStub<SQSClient>;

  beforeEach(() => {
    sqs = mockClient(SQSClient);
    for (const [url, count] of [
      [RULE_QUEUE, "1"],
      [WRITER_QUEUE, "1"],
      [EMPTY_QUEUE, "0"],
    ] as const) {
      sqs
        .on(GetQueueAttributesCommand, { QueueUrl: url })
        .resolves({ Attributes: { QueueArn: arnOf(url), ApproximateNumberOfMessages: count } });
    }
    sqs.on(ReceiveMessageCommand, { QueueUrl: RULE_QUEUE }).resolves({ Messages: [UNDELIVERED] });
    sqs.on(ReceiveMessageCommand, { QueueUrl: WRITER_QUEUE }).resolves({ Messages: [FAILED_INTENT] });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "task-1" });
  });

  afterEach(() => {
    sqs.restore();
  });

  it("lists the deployed dead letters with their rule, target and error, leaving them in their queues", async () => {
    // Arrange
    const capture = captureIo("/", AWS_ENV);

    // Act
    const code = await main(["dlq", "--aws"], capture.io);

    // Assert
    expect(code).toBe(1);
    expect(capture.stdout()).toMatch(
      new RegExp(
        `promote-on-image-approved\\s+Image Approved web@${SOURCE_COMMIT.slice(0, 7)}\\s+186\\s+EventBridge could not deliver it to Shipline-Promote: SDK_CLIENT_ERROR Function is throttled`,
      ),
    );
    expect(capture.stdout()).toMatch(
      /Shipline-WriterDeadLetters\.fifo\s+write intent intent-9: web 1\.4\.0-f485fcc into production\s+5/,
    );
    for (const call of sqs.commandCalls(ReceiveMessageCommand)) {
      expect(call.args[0].input).toMatchObject({ VisibilityTimeout: 0, MessageAttributeNames: ["All"] });
    }
    expect(sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.QueueUrl)).not.toContain(
      EMPTY_QUEUE,
    );
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it("redrives a queue's own dead letters by SQS's move task and names the replay of EventBridge's", async () => {
    // Arrange
    const capture = captureIo("/", AWS_ENV);

    // Act
    const code = await main(["dlq", "--aws", "--redrive"], capture.io);

    // Assert
    expect(sqs.commandCalls(StartMessageMoveTaskCommand).map((call) => call.args[0].input)).toEqual([
      { SourceArn: arnOf(WRITER_QUEUE) },
    ]);
    expect(capture.stdout()).toContain(
      "shipline replay --aws --from 2026-03-01T12:00:07.000Z --to 2026-03-01T12:00:08.000Z --rule promote-on-image-approved",
    );
    expect(capture.stdout()).toContain(
      "Redrive of Shipline-WriterDeadLetters.fifo: SQS moves its 1 message(s) back",
    );
    expect(code).toBe(1);
  });

  it("answers 0 when every queue is empty", async () => {
    // Arrange
    const capture = captureIo("/", { ...AWS_ENV, SHIPLINE_DEAD_LETTER_QUEUES: EMPTY_QUEUE });

    // Act
    const code = await main(["dlq", "--aws", "-o", "json"], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(
      capture
        .stdout()
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([expect.objectContaining({ url: EMPTY_QUEUE, count: 0, kind: "empty", letters: [] })]);
  });

  it("says where the queues come from when none is named, with exit 2", async () => {
    // Arrange
    const capture = captureIo("/", { AWS_REGION: "eu-west-1" });

    // Act
    const code = await main(["dlq", "--aws"], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain(
      "set SHIPLINE_DEAD_LETTER_QUEUES to the stack's DeadLetterQueueUrls output, or pass --queue URL",
    );
  });
});
