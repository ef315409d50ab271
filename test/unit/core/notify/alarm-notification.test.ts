import { describe, expect, it } from "vitest";
import { cloudWatchAlarmStateChangeEvent } from "../../../../functions/core/contracts/aws/cloudwatch-alarm-state-change.js";
import { alarmNotification } from "../../../../functions/core/notify/alarm-notification.js";
import { slackMessageOf } from "../../../../functions/core/notify/slack-message.js";
import { snsMessageOf } from "../../../../functions/core/notify/sns-message.js";
import { readFixture } from "../../../read-fixture.js";

const firing = cloudWatchAlarmStateChangeEvent.parse(
  readFixture("aws/cloudwatch-alarm-state-change.alarm.json"),
);
const recovered = {
  ...firing,
  detail: {
    ...firing.detail,
    previousState: firing.detail.state,
    state: {
      value: "OK" as const,
      reason:
        "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (01/03/26 12:15:00)] was not greater than the threshold (0.0).",
      timestamp: "2026-03-01T12:20:13.124+0000",
    },
  },
};

describe("alarmNotification", () => {
  it("tells an alarm firing as a failure: what is wrong and what to do, from the alarm's description", () => {
    // Act
    const notification = alarmNotification(firing);

    // Assert
    expect(notification).toEqual({
      detailType: "CloudWatch Alarm State Change",
      title: "Alarm: promote has undelivered or unhandled events in its dead-letter queue",
      text: "Alarm Shipline-DashboardDeadLetterspromoteAlarm4E8C1B2A-1QW2E3R4T5Y6U went from OK to ALARM: promote has undelivered or unhandled events in its dead-letter queue. To do: inspect and redrive them. CloudWatch: Threshold Crossed: 1 out of the last 1 datapoints [2.0 (01/03/26 12:00:00)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
      severity: "failure",
      fields: [
        { label: "Alarm", value: "Shipline-DashboardDeadLetterspromoteAlarm4E8C1B2A-1QW2E3R4T5Y6U" },
        { label: "State", value: "OK → ALARM" },
        { label: "Since", value: "2026-03-01T12:05:13.124+0000" },
        { label: "What to do", value: "inspect and redrive them" },
        { label: "Account", value: "123456789012 (eu-west-1)" },
      ],
      links: [
        {
          label: "Alarm in CloudWatch",
          url: "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/Shipline-DashboardDeadLetterspromoteAlarm4E8C1B2A-1QW2E3R4T5Y6U",
          primary: true,
        },
      ],
    });
  });

  it("tells an alarm back to OK as a success, without what to do", () => {
    // Act
    const notification = alarmNotification(recovered);

    // Assert
    expect(notification.title).toBe(
      "Alarm back to OK: promote has undelivered or unhandled events in its dead-letter queue",
    );
    expect(notification.severity).toBe("success");
    expect(notification.text).toMatch(/went from ALARM to OK, so this no longer holds: promote has/);
    expect(notification.fields.map((field) => field.label)).not.toContain("What to do");
    expect(notification.links[0]?.primary).toBe(false);
  });

  it("names the alarm when its description says nothing, and links the console of a China region", () => {
    // Arrange
    const bare = { ...firing, region: "cn-north-1", detail: { ...firing.detail, configuration: {} } };

    // Act
    const notification = alarmNotification(bare);

    // Assert
    expect(notification.title).toBe("Alarm: Shipline-DashboardDeadLetterspromoteAlarm4E8C1B2A-1QW2E3R4T5Y6U");
    expect(notification.links[0]?.url).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\/cloudwatch\/home\?region=cn-north-1#/,
    );
  });

  it("renders for Slack and SNS as a journey's notification does, without app or commit", () => {
    // Arrange
    const notification = alarmNotification(firing);

    // Act
    const slack = slackMessageOf(notification);
    const sns = snsMessageOf(notification);

    // Assert
    expect(slack.text).toBe(
      ":x: Alarm: promote has undelivered or unhandled events in its dead-letter queue",
    );
    expect(slack.blocks.map((block) => block.type)).toEqual([
      "header",
      "section",
      "section",
      "context",
      "actions",
    ]);
    expect(slack.blocks[3]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: ":x: CloudWatch Alarm State Change" }],
    });
    expect(sns.subject).toBe(
      "Shipline: Alarm: promote has undelivered or unhandled events in its dead-letter queue",
    );
    expect(Object.keys(sns.attributes).sort()).toEqual(["detailType", "severity"]);
  });
});
