import { cloudWatchAlarmStateChangeEvent } from "../contracts/aws/cloudwatch-alarm-state-change.js";
import type { EventPattern } from "./rule-definition.js";

/**
 * How every CloudWatch alarm of Shipline's stack begins its description (then what happened and
 * what to do): the alarms' own events are told apart from the account's other alarms by it.
 */
export const SHIPLINE_ALARM_PREFIX = "Shipline: ";

/**
 * Shipline's alarms turning to ALARM or back to OK, as CloudWatch reports them on the default bus:
 * the pattern that forwards them onto the `shipline` bus and routes them to `notify`. Changes to
 * INSUFFICIENT_DATA are left out: they say nothing about the pipeline.
 *
 * @example
 * ```ts
 * const rule = { eventPattern: structuredClone(SHIPLINE_ALARM_STATE_CHANGES), ... };
 * ```
 */
export const SHIPLINE_ALARM_STATE_CHANGES: EventPattern = {
  source: [cloudWatchAlarmStateChangeEvent.shape.source.value],
  "detail-type": [cloudWatchAlarmStateChangeEvent.shape["detail-type"].value],
  detail: {
    state: { value: ["ALARM", "OK"] },
    configuration: { description: [{ prefix: SHIPLINE_ALARM_PREFIX }] },
  },
};
