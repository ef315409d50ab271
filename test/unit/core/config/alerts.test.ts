import { describe, expect, it } from "vitest";
import { partitionOfRegion, snsTopicArnParts } from "../../../../functions/core/config/alerts.js";
import type { ConfigProblem } from "../../../../functions/core/config/config-problem.js";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { toYaml, validConfig } from "./config-builder.js";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:platform-alerts";

/** The YAML of the valid test config with the given `alerts` section. */
function withAlerts(alerts: unknown): string {
  return toYaml({ ...validConfig(), alerts });
}

function problemsOf(text: string): ConfigProblem[] {
  try {
    parseConfig(text);
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    expect(error.code).toBe("CONFIG_INVALID");
    const problems = error.data.problems;
    if (!Array.isArray(problems)) throw new Error("data.problems is not a list");
    return problems;
  }
  throw new Error("expected parseConfig to throw");
}

describe("the alerts section", () => {
  it("defaults to a topic the stack creates, with no subscriber", () => {
    // Act
    const config = parseConfig(toYaml(validConfig()));

    // Assert
    expect(config.alerts).toEqual({ emails: [] });
  });

  it("takes an SNS topic's ARN and the e-mail addresses to subscribe", () => {
    // Act
    const config = parseConfig(
      withAlerts({ topicArn: TOPIC, emails: ["oncall@example.com", "ops@example.org"] }),
    );

    // Assert
    expect(config.alerts).toEqual({ topicArn: TOPIC, emails: ["oncall@example.com", "ops@example.org"] });
  });

  it.each([
    [
      "a malformed ARN",
      { topicArn: "arn:aws:sns:eu-west-1:platform-alerts" },
      "alerts.topicArn",
      "'arn:aws:sns:eu-west-1:platform-alerts' is not an SNS topic ARN",
      "write arn:<partition>:sns:<region>:<12-digit account>:<topic name>, e.g. arn:aws:sns:eu-west-1:123456789012:platform-alerts (aws sns list-topics)",
    ],
    [
      "an ARN of another service",
      { topicArn: "arn:aws:sqs:eu-west-1:123456789012:platform-alerts" },
      "alerts.topicArn",
      "'arn:aws:sqs:eu-west-1:123456789012:platform-alerts' is not an SNS topic ARN",
      "write arn:<partition>:sns:",
    ],
    [
      "a partition its region is not in",
      { topicArn: "arn:aws:sns:cn-north-1:123456789012:platform-alerts" },
      "alerts.topicArn",
      "'arn:aws:sns:cn-north-1:123456789012:platform-alerts' names partition aws, but region cn-north-1 is in aws-cn",
      "write arn:aws-cn:sns:cn-north-1:123456789012:platform-alerts, or the ARN the topic's console shows",
    ],
    [
      "a FIFO topic",
      { topicArn: "arn:aws:sns:eu-west-1:123456789012:alerts.fifo" },
      "alerts.topicArn",
      "is a FIFO topic, which CloudWatch alarms cannot notify",
      "name a standard topic, or leave topicArn out for one Shipline creates",
    ],
    [
      "an e-mail address that is not one",
      { emails: ["oncall@example.com", "platform team"] },
      "alerts.emails[1]",
      "'platform team' is not an e-mail address",
      "write one address per item, e.g. emails: [platform-oncall@example.com]",
    ],
    [
      "the same address twice",
      { emails: ["oncall@example.com", "OnCall@example.com"] },
      "alerts.emails",
      "names an address twice",
      "keep one item per address",
    ],
    ["an unknown key", { topic: TOPIC }, "alerts.topic", "", ""],
  ])("refuses %s, naming the key and the fix", (_case, alerts, path, message, fix) => {
    // Act
    const problems = problemsOf(withAlerts(alerts));

    // Assert
    const problem = problems.find((found) => found.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.message).toContain(message);
    expect(problem?.fix).toContain(fix);
    expect(problem?.line).toBeGreaterThan(0);
  });

  it("reads the parts of a topic ARN and the partition of a region", () => {
    // Act
    const parts = snsTopicArnParts("arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts");

    // Assert
    expect(parts).toEqual({
      partition: "aws-us-gov",
      region: "us-gov-west-1",
      account: "123456789012",
      name: "alerts",
    });
    expect(
      ["eu-west-1", "cn-northwest-1", "us-gov-east-1", "us-iso-east-1", "us-isob-east-1"].map(
        partitionOfRegion,
      ),
    ).toEqual(["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"]);
    expect(snsTopicArnParts("platform-alerts")).toBeUndefined();
  });
});
