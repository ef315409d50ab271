import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SnsNotifier } from "../../../../functions/adapters/aws/sns-notifier.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { notificationOf } from "../../../../functions/core/notify/notification-of.js";
import { snsMessageOf } from "../../../../functions/core/notify/sns-message.js";
import { COMMIT_INFO, LINKS, terminalEvent } from "../../core/notify/notify-test-kit.js";

const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:shipline-notifications";

const notification = notificationOf({
  event: terminalEvent("Deployment Failed"),
  context: { commit: COMMIT_INFO, ...LINKS },
});

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

describe("SnsNotifier", () => {
  const sns = mockClient(SNSClient);
  let notifier: SnsNotifier;

  beforeEach(() => {
    sns.reset();
    notifier = new SnsNotifier({ client: new SNSClient({ region: "eu-west-1" }), topicArn: TOPIC_ARN });
  });

  afterEach(() => {
    sns.reset();
  });

  it("publishes the subject, the message and the filter attributes to the topic", async () => {
    // Arrange
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const expected = snsMessageOf(notification);

    // Act
    await notifier.send(notification);

    // Assert
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC_ARN,
      Subject: "Shipline: web 1.4.0-f485fcc failed in staging",
      Message: expected.message,
      MessageAttributes: {
        app: { DataType: "String", StringValue: "web" },
        environment: { DataType: "String", StringValue: "staging" },
        detailType: { DataType: "String", StringValue: "Deployment Failed" },
        severity: { DataType: "String", StringValue: "failure" },
      },
    });
  });

  it("fails retryably when SNS throttles", async () => {
    // Arrange
    sns.on(PublishCommand).rejects(awsError("ThrottledException"));

    // Act
    const error = await rejectionOf(notifier.send(notification));

    // Assert
    expect(error).toMatchObject({
      code: "NOTIFY_SNS_FAILED",
      retryable: true,
      data: { errorName: "ThrottledException" },
    });
  });

  it("fails permanently when the topic is missing or the publish is denied", async () => {
    // Arrange
    sns
      .on(PublishCommand)
      .rejectsOnce(awsError("NotFoundException"))
      .rejectsOnce(awsError("AuthorizationErrorException"));

    // Act
    const missing = await rejectionOf(notifier.send(notification));
    const denied = await rejectionOf(notifier.send(notification));

    // Assert
    expect(missing).toMatchObject({ code: "NOTIFY_SNS_FAILED", retryable: false });
    expect(denied).toMatchObject({ code: "NOTIFY_SNS_FAILED", retryable: false });
    expect(denied.message).toContain(TOPIC_ARN);
  });
});
