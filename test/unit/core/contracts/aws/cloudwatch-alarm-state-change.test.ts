import { describe, expect, it } from "vitest";
import { cloudWatchAlarmStateChangeEvent } from "../../../../../functions/core/contracts/aws/cloudwatch-alarm-state-change.js";
import { issuesOf, type JsonPath, naming, readFixture, withChange } from "../samples.js";

const sample = readFixture("aws/cloudwatch-alarm-state-change.alarm.json");

describe("cloudWatchAlarmStateChangeEvent", () => {
  it("parses an alarm of Shipline's going from OK to ALARM, with its description and reasons", () => {
    // Act
    const event = cloudWatchAlarmStateChangeEvent.parse(sample);

    // Assert
    expect(event["detail-type"]).toBe("CloudWatch Alarm State Change");
    expect(event.detail.alarmName).toBe("Shipline-DashboardDeadLetterspromoteAlarm4E8C1B2A-1QW2E3R4T5Y6U");
    expect(event.detail.configuration.description).toMatch(/^Shipline: promote has undelivered/);
    expect(event.detail.previousState?.value).toBe("OK");
    expect(event.detail.state.value).toBe("ALARM");
    expect(event.detail.state.reason).toMatch(/^Threshold Crossed/);
  });

  it("takes an alarm's first evaluation, which has no previous state and may have no description", () => {
    // Arrange
    const first = withChange(
      withChange(sample, ["detail", "previousState"], { remove: true }),
      ["detail", "configuration"],
      { remove: true },
    );

    // Act
    const event = cloudWatchAlarmStateChangeEvent.parse(first);

    // Assert
    expect(event.detail.previousState).toBeUndefined();
    expect(event.detail.configuration).toEqual({});
  });

  it.each<{
    readonly label: string;
    readonly at: JsonPath;
    readonly value?: unknown;
    readonly field: string;
  }>([
    { label: "a missing alarm name", at: ["detail", "alarmName"], field: "detail.alarmName" },
    {
      label: "an unknown state",
      at: ["detail", "state", "value"],
      value: "FIRING",
      field: "detail.state.value",
    },
    { label: "a missing state", at: ["detail", "state"], field: "detail.state" },
    { label: "another source", at: ["source"], value: "aws.events", field: "source" },
  ])("rejects $label and names the field", ({ at, value, field }) => {
    // Arrange
    const mutated = withChange(sample, at, value === undefined ? { remove: true } : { set: value });

    // Act
    const problems = issuesOf(cloudWatchAlarmStateChangeEvent, mutated);

    // Assert
    expect(problems).toContainEqual(naming(field));
  });
});
