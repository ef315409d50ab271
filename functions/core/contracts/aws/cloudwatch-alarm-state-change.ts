import * as z from "zod";
import { envelopeOf } from "../event-envelope.js";

/** The states of a CloudWatch alarm. */
export const ALARM_STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"] as const;

/** One state of an alarm as the event reports it: its value, why, and since when. */
export const cloudWatchAlarmState = z
  .object({
    value: z.enum(ALARM_STATES),
    reason: z.string(),
    /** The evaluation's data as a JSON string (thresholds, datapoints). */
    reasonData: z.string().optional(),
    /** When the alarm entered the state, e.g. `2026-03-01T12:05:00.123+0000`. */
    timestamp: z.string(),
  })
  .loose();

/** Detail of CloudWatch's `CloudWatch Alarm State Change` event. */
export const cloudWatchAlarmStateChangeDetail = z.object({
  alarmName: z.string().min(1),
  configuration: z
    .object({
      /** The alarm's description: Shipline's start with `Shipline: ` and say what to do. */
      description: z.string().optional(),
      metrics: z.array(z.unknown()).optional(),
    })
    .loose()
    .default({}),
  /** Absent on an alarm's first evaluation. */
  previousState: cloudWatchAlarmState.optional(),
  state: cloudWatchAlarmState,
});

/** `aws.cloudwatch` / `CloudWatch Alarm State Change`. */
export const cloudWatchAlarmStateChangeEvent = envelopeOf(cloudWatchAlarmStateChangeDetail).extend({
  source: z.literal("aws.cloudwatch"),
  "detail-type": z.literal("CloudWatch Alarm State Change"),
});

/** A `CloudWatch Alarm State Change` event. */
export type CloudWatchAlarmStateChangeEvent = z.infer<typeof cloudWatchAlarmStateChangeEvent>;
