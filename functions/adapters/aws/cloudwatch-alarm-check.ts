import { type CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import * as z from "zod";
import type { MetricReading } from "../../core/agent/metric-checks.js";

/** Options of {@link CloudWatchAlarmCheck}. */
export interface CloudWatchAlarmCheckOptions {
  /**
   * The client of a region: `undefined` for the agent's own region, else the region of an alarm
   * given as an ARN. Clients are created once and kept by the caller.
   */
  readonly clientFor: (region: string | undefined) => CloudWatchClient;
}

/** `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`. */
const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):\d{12}:alarm:(.+)$/;

/** The fields of a metric or composite alarm the check reads. */
const alarmState = z.object({
  AlarmName: z.string().optional(),
  StateValue: z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]),
  StateReason: z.string().optional(),
  StateUpdatedTimestamp: z.date().optional(),
});

const describeAlarmsOutput = z.object({
  MetricAlarms: z.array(alarmState).optional(),
  CompositeAlarms: z.array(alarmState).optional(),
});

/**
 * A metric gate's CloudWatch check: `DescribeAlarms` of one alarm (by name, or by ARN in that ARN's
 * region), metric or composite. `OK` is healthy, `ALARM` a breach (with CloudWatch's state reason
 * and since when). `INSUFFICIENT_DATA` is no answer: the bake reads it again, and fails closed if
 * the alarm still has no data when the window ends (an alarm where silence is healthy should treat
 * missing data as `notBreaching`, which keeps it OK). A missing alarm or a refused call (the agent's
 * role may describe only the alarms the configuration names) is no answer either, with the reason.
 * Never throws.
 *
 * @example
 * ```ts
 * const check = new CloudWatchAlarmCheck({ clientFor: () => new CloudWatchClient({}) });
 * await check.read("shop-5xx"); // { state: "healthy", says: "is OK" }
 * ```
 */
export class CloudWatchAlarmCheck {
  readonly #clientFor: (region: string | undefined) => CloudWatchClient;

  constructor(options: CloudWatchAlarmCheckOptions) {
    this.#clientFor = options.clientFor;
  }

  /** Reads the alarm's state once. */
  async read(alarm: string, options: { readonly signal?: AbortSignal } = {}): Promise<MetricReading> {
    const arn = ALARM_ARN.exec(alarm);
    const name = arn?.[2] ?? alarm;
    const region = arn?.[1];
    let output: z.infer<typeof describeAlarmsOutput>;
    try {
      const answer = await this.#clientFor(region).send(
        new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] }),
        options.signal === undefined ? {} : { abortSignal: options.signal },
      );
      const parsed = describeAlarmsOutput.safeParse(answer);
      if (!parsed.success) return unknown("CloudWatch's DescribeAlarms answer does not parse");
      output = parsed.data;
    } catch (error) {
      const named = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return unknown(
        `DescribeAlarms failed (${named})${/AccessDenied/i.test(named) ? "; the agent's role may describe only the alarms the configuration names: deploy the stack with this alarm in bake.cloudwatchAlarm" : ""}`,
      );
    }
    const state = output.MetricAlarms?.[0] ?? output.CompositeAlarms?.[0];
    if (state === undefined) {
      return unknown(
        `there is no alarm named '${name}'${region === undefined ? " in the agent's region" : ` in ${region}`}; check bake.cloudwatchAlarm`,
      );
    }
    const since =
      state.StateUpdatedTimestamp === undefined ? "" : ` since ${state.StateUpdatedTimestamp.toISOString()}`;
    const reason = state.StateReason === undefined ? "" : `: ${state.StateReason}`;
    if (state.StateValue === "OK") return { state: "healthy", says: `is OK${since}` };
    if (state.StateValue === "ALARM") return { state: "breached", says: `is in ALARM${since}${reason}` };
    return unknown(
      `has insufficient data${since}${reason}; if no data means healthy, set the alarm's treatMissingData to notBreaching`,
    );
  }
}

function unknown(says: string): MetricReading {
  return { state: "unknown", says };
}
