import { describe, expect, it } from "vitest";
import * as z from "zod";
import { testEventPattern } from "../../../../functions/core/event-pattern/test-event-pattern.js";
import { ruleNamed, rulesForStep, rulesOnBus } from "../../../../functions/core/topology/rule-topology.js";
import { SHIPLINE_ALARM_PREFIX } from "../../../../functions/core/topology/shipline-alarms.js";
import { readFixture } from "../../../read-fixture.js";
import { withDetail } from "./plain-pattern.js";

const alarm = readFixture("aws/cloudwatch-alarm-state-change.alarm.json");

const withDetailObject = z.object({ detail: z.record(z.string(), z.unknown()) }).loose();

/** A copy of the sample alarm event with its detail changed. */
function alarmWith(change: (detail: Record<string, unknown>) => void): Record<string, unknown> {
  const copy = withDetailObject.parse(structuredClone(alarm));
  change(copy.detail);
  return copy;
}

function matching(bus: "default" | "shipline", event: unknown): string[] {
  return rulesOnBus(bus)
    .filter((rule) => testEventPattern(rule.eventPattern, event))
    .map((rule) => rule.name);
}

describe("Shipline's alarm state changes", () => {
  it("are forwarded from the default bus and routed to notify, and to nothing else", () => {
    // Act
    const forwarded = matching("default", alarm);
    const routed = matching("shipline", alarm);

    // Assert
    expect(forwarded).toEqual(["forward-cloudwatch-alarm-state-change"]);
    expect(ruleNamed("forward-cloudwatch-alarm-state-change").target).toEqual({
      kind: "bus",
      bus: "shipline",
    });
    expect(routed).toEqual(["notify-on-alarm-state-change"]);
    expect(rulesForStep("notify").map((rule) => rule.name)).toContain("notify-on-alarm-state-change");
  });

  it("include a recovery back to OK", () => {
    // Arrange
    const recovered = alarmWith((detail) => {
      detail.state = { value: "OK", reason: "Threshold Crossed", timestamp: "2026-03-01T12:20:13.124+0000" };
    });

    // Act
    const routed = matching("shipline", recovered);

    // Assert
    expect(routed).toEqual(["notify-on-alarm-state-change"]);
  });

  it.each([
    [
      "another alarm of the account",
      alarmWith((detail) => {
        detail.configuration = { description: "Goes into alarm when server CPU utilization is too high!" };
      }),
    ],
    [
      "an alarm without a description",
      alarmWith((detail) => {
        detail.configuration = {};
      }),
    ],
    [
      "a change to INSUFFICIENT_DATA",
      alarmWith((detail) => {
        detail.state = {
          value: "INSUFFICIENT_DATA",
          reason: "no data",
          timestamp: "2026-03-01T12:20:13.124+0000",
        };
      }),
    ],
  ])("leave out %s", (_what, event) => {
    // Act
    const forwarded = matching("default", event);
    const routed = matching("shipline", event);

    // Assert
    expect(forwarded).toEqual([]);
    expect(routed).toEqual([]);
  });

  it("are told apart by the prefix every description of Shipline's alarms starts with", () => {
    // Arrange
    const description = `${SHIPLINE_ALARM_PREFIX}promote has undelivered or unhandled events`;

    // Act
    const event = withDetail(
      alarmWith(() => {}),
      "configuration",
      { description },
    );

    // Assert
    expect(matching("default", event)).toEqual(["forward-cloudwatch-alarm-state-change"]);
  });
});
