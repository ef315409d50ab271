import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { describe, expect, it } from "vitest";
import { AlarmTopic } from "../../../infra/constructs/alarm-topic.js";
import { awsSolutionsFindings } from "../nag-findings.js";
import { thrown } from "../thrown.js";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:platform-alerts";

function stackIn(region?: string): Stack {
  return new Stack(
    new App(),
    "Test",
    region === undefined ? {} : { env: { region, account: "123456789012" } },
  );
}

describe("AlarmTopic", () => {
  it("creates a topic encrypted with a rotated key that CloudWatch may publish through, and subscribes the addresses", () => {
    // Arrange
    const stack = stackIn();

    // Act
    const alerts = new AlarmTopic(stack, "Alerts", { emails: ["oncall@example.com", "ops@example.org"] });

    // Assert
    const template = Template.fromStack(stack);
    expect(alerts.key).toBeDefined();
    template.hasResourceProperties("AWS::KMS::Key", {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          }),
        ]),
      },
    });
    template.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: stack.resolve(alerts.key?.keyArn),
    });
    const endpoints = Object.values(template.findResources("AWS::SNS::Subscription")).map((resource) => [
      resource.Properties.Protocol,
      resource.Properties.Endpoint,
    ]);
    expect(endpoints).toEqual([
      ["email", "oncall@example.com"],
      ["email", "ops@example.org"],
    ]);
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it("notifies a topic of the config's instead, creating no topic and no key", () => {
    // Arrange
    const stack = stackIn("eu-west-1");

    // Act
    const alerts = new AlarmTopic(stack, "Alerts", { topicArn: TOPIC, emails: ["oncall@example.com"] });
    new cloudwatch.Alarm(stack, "Alarm", {
      metric: new cloudwatch.Metric({ namespace: "Shipline", metricName: "StepFailed" }),
      threshold: 0,
      evaluationPeriods: 1,
    }).addAlarmAction(alerts.action);

    // Assert
    const template = Template.fromStack(stack);
    template.resourceCountIs("AWS::SNS::Topic", 0);
    template.resourceCountIs("AWS::KMS::Key", 0);
    template.hasResourceProperties("AWS::SNS::Subscription", {
      TopicArn: TOPIC,
      Endpoint: "oncall@example.com",
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", { AlarmActions: [TOPIC] });
  });

  it.each([
    [
      "a topic in another partition than the stack's",
      "arn:aws-cn:sns:cn-north-1:123456789012:platform-alerts",
      "alerts.topicArn 'arn:aws-cn:sns:cn-north-1:123456789012:platform-alerts' is in partition aws-cn, but the stack deploys to eu-west-1, in partition aws; name a topic in eu-west-1, or leave alerts.topicArn out for one the stack creates",
    ],
    [
      "a topic in another region",
      "arn:aws:sns:us-east-1:123456789012:platform-alerts",
      "alerts.topicArn 'arn:aws:sns:us-east-1:123456789012:platform-alerts' is in region us-east-1, but the stack deploys to eu-west-1, and CloudWatch only notifies topics of its own region; name a topic in eu-west-1",
    ],
    [
      "a malformed ARN",
      "platform-alerts",
      "alerts.topicArn 'platform-alerts' is not an SNS topic ARN; write arn:<partition>:sns:<region>:<12-digit account>:<topic name> (aws sns list-topics)",
    ],
  ])("refuses %s at synth, naming the key and the fix", (_case, topicArn, message) => {
    // Arrange
    const stack = stackIn("eu-west-1");

    // Act
    const error = thrown(() => new AlarmTopic(stack, "Alerts", { topicArn }));

    // Assert
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain(message);
  });

  it("refuses an e-mail address that is not one, naming the item", () => {
    // Arrange
    const stack = stackIn();

    // Act
    const error = thrown(
      () => new AlarmTopic(stack, "Alerts", { emails: ["oncall@example.com", "ops team"] }),
    );

    // Assert
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toBe(
      "Test/Alerts: alerts.emails[1] 'ops team' is not an e-mail address; write one address per item, e.g. platform-oncall@example.com",
    );
  });
});
