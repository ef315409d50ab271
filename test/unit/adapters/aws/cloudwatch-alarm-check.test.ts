import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { CloudWatchAlarmCheck } from "../../../../functions/adapters/aws/cloudwatch-alarm-check.js";

const UPDATED = new Date("2026-03-01T12:01:00Z");

describe("CloudWatchAlarmCheck", () => {
  const cloudwatch = mockClient(CloudWatchClient);
  const regions: (string | undefined)[] = [];
  const check = new CloudWatchAlarmCheck({
    clientFor: (region) => {
      regions.push(region);
      return new CloudWatchClient({ region: region ?? "eu-west-1" });
    },
  });

  beforeEach(() => {
    cloudwatch.reset();
    regions.length = 0;
  });

  it("asks DescribeAlarms for the named metric or composite alarm and reads OK as healthy", async () => {
    // Arrange
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: "shop-5xx", StateValue: "OK", StateUpdatedTimestamp: UPDATED }],
    });

    // Act
    const reading = await check.read("shop-5xx");

    // Assert
    expect(reading).toEqual({ state: "healthy", says: "is OK since 2026-03-01T12:01:00.000Z" });
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toEqual({
      AlarmNames: ["shop-5xx"],
      AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
    });
    expect(regions).toEqual([undefined]);
  });

  it("reads ALARM as a breach, with CloudWatch's state reason", async () => {
    // Arrange
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      CompositeAlarms: [
        {
          AlarmName: "shop-health",
          StateValue: "ALARM",
          StateReason: "Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).",
          StateUpdatedTimestamp: UPDATED,
        },
      ],
    });

    // Act
    const reading = await check.read("shop-health");

    // Assert
    expect(reading).toEqual({
      state: "breached",
      says: "is in ALARM since 2026-03-01T12:01:00.000Z: Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).",
    });
  });

  it("reads INSUFFICIENT_DATA as no answer, and says how to make silence healthy", async () => {
    // Arrange
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: "shop-5xx", StateValue: "INSUFFICIENT_DATA" }],
    });

    // Act
    const reading = await check.read("shop-5xx");

    // Assert
    expect(reading.state).toBe("unknown");
    expect(reading.says).toContain("set the alarm's treatMissingData to notBreaching");
  });

  it("asks the region of an alarm given as an ARN, by the alarm's name", async () => {
    // Arrange
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ StateValue: "OK" }] });

    // Act
    await check.read("arn:aws:cloudwatch:us-east-1:123456789012:alarm:edge-errors");

    // Assert
    expect(regions).toEqual(["us-east-1"]);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input.AlarmNames).toEqual([
      "edge-errors",
    ]);
  });

  it("has no answer for an alarm that does not exist, naming it", async () => {
    // Arrange
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });

    // Act
    const reading = await check.read("shop-typo");

    // Assert
    expect(reading).toEqual({
      state: "unknown",
      says: "there is no alarm named 'shop-typo' in the agent's region; check bake.cloudwatchAlarm",
    });
  });

  it("has no answer when the call is refused, and says the role describes only configured alarms", async () => {
    // Arrange
    const denied = new Error("User is not authorized to perform: cloudwatch:DescribeAlarms");
    denied.name = "AccessDenied";
    cloudwatch.on(DescribeAlarmsCommand).rejects(denied);

    // Act
    const reading = await check.read("other-team-alarm");

    // Assert
    expect(reading.state).toBe("unknown");
    expect(reading.says).toContain("AccessDenied: User is not authorized");
    expect(reading.says).toContain("may describe only the alarms the configuration names");
  });
});
