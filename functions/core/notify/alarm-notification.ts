import { partitionOfRegion } from "../config/alerts.js";
import type { CloudWatchAlarmStateChangeEvent } from "../contracts/aws/cloudwatch-alarm-state-change.js";
import { SHIPLINE_ALARM_PREFIX } from "../topology/shipline-alarms.js";
import { ALARM_STATE_CHANGE, type Notification, type NotificationSeverity } from "./notification.js";
import { fieldOf, sentence } from "./notification-parts.js";

const SEVERITY: Readonly<Record<string, NotificationSeverity>> = {
  ALARM: "failure",
  OK: "success",
  INSUFFICIENT_DATA: "warning",
};

/** The CloudWatch console's host in each partition. */
const CONSOLE_HOSTS: Readonly<Record<string, (region: string) => string>> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  "aws-cn": (region) => `${region}.console.amazonaws.cn`,
  "aws-us-gov": () => "console.amazonaws-us-gov.com",
};

/**
 * The notification of one of Shipline's CloudWatch alarms changing state, in the same shape as a
 * journey's (so Slack and SNS render it alike): what is wrong, taken from the alarm's description
 * (`Shipline: <what happened>; <what to do>`), what to do about it, CloudWatch's reason, and a link
 * to the alarm in the console. An alarm firing reads as a failure, one back to OK as a success.
 *
 * @example
 * ```ts
 * alarmNotification(event).title; // "Alarm: promote has undelivered or unhandled events in its dead-letter queue"
 * ```
 */
export function alarmNotification(event: CloudWatchAlarmStateChangeEvent): Notification {
  const { alarmName, state, previousState } = event.detail;
  const { what, todo } = describe(event.detail.configuration.description, alarmName);
  const firing = state.value === "ALARM";
  const title =
    state.value === "OK"
      ? `Alarm back to OK: ${what}`
      : state.value === "ALARM"
        ? `Alarm: ${what}`
        : `Alarm without data: ${what}`;
  const change = previousState === undefined ? state.value : `${previousState.value} → ${state.value}`;
  const alarmUrl = consoleUrl(event.region, alarmName);
  return {
    detailType: ALARM_STATE_CHANGE,
    title,
    text: `${textOf({ alarmName, what, todo, from: previousState?.value, to: state.value })} CloudWatch: ${sentence(state.reason)}`,
    severity: SEVERITY[state.value] ?? "warning",
    fields: [
      { label: "Alarm", value: alarmName },
      { label: "State", value: change },
      { label: "Since", value: state.timestamp },
      ...(firing ? fieldOf("What to do", todo) : []),
      { label: "Account", value: `${event.account} (${event.region})` },
    ],
    links: alarmUrl === undefined ? [] : [{ label: "Alarm in CloudWatch", url: alarmUrl, primary: firing }],
  };
}

/** What an alarm says is wrong and what to do, from `Shipline: <what>; <todo>`. */
function describe(description: string | undefined, alarmName: string): { what: string; todo?: string } {
  if (description === undefined || description.trim() === "") return { what: alarmName };
  const text = description.startsWith(SHIPLINE_ALARM_PREFIX)
    ? description.slice(SHIPLINE_ALARM_PREFIX.length)
    : description;
  const at = text.indexOf("; ");
  if (at < 0) return { what: text.trim() };
  return { what: text.slice(0, at).trim(), todo: text.slice(at + 2).trim() };
}

/** What happened, in words: the alarm, its change, what it means and, when it fires, what to do. */
function textOf(facts: {
  readonly alarmName: string;
  readonly what: string;
  readonly todo: string | undefined;
  readonly from: string | undefined;
  readonly to: string;
}): string {
  const went = `Alarm ${facts.alarmName} went ${facts.from === undefined ? "" : `from ${facts.from} `}to ${facts.to}`;
  if (facts.to === "OK") return `${went}, so this no longer holds: ${sentence(facts.what)}`;
  const todo = facts.to === "ALARM" && facts.todo !== undefined ? ` To do: ${sentence(facts.todo)}` : "";
  return `${went}: ${sentence(facts.what)}${todo}`;
}

/** The alarm's page in the CloudWatch console of its region, where the partition has a known console. */
function consoleUrl(region: string, alarmName: string): string | undefined {
  const host = CONSOLE_HOSTS[partitionOfRegion(region)]?.(region);
  if (host === undefined || !/^[a-z0-9-]+$/.test(region)) return undefined;
  return `https://${host}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
}
