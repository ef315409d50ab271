import type { ConfigView } from "./config-view.js";
import { formatDuration } from "./duration.js";
import { environment } from "./environment.js";
import type { PathProblem } from "./issue-messages.js";

const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/;
/** The agent holds a request's message in flight while it verifies and bakes: SQS allows 12 hours. */
const MAX_IN_FLIGHT_SECONDS = 12 * 3600;

/**
 * Checks each environment's `bake` beyond its schema: it names exactly one check (`prometheus` or
 * `cloudwatchAlarm`), Prometheus' URL is an http(s) URL without query or fragment, and an alarm
 * given as an ARN is a CloudWatch alarm's, and `verifyDeadline + bake.window` is at most 12h (the
 * agent keeps the request's message in flight through both, which SQS allows 12 hours). Run where
 * the YAML is read (`parseConfig`: the CLI,
 * `npm start`, `cdk synth`), not by the step functions, which parse the JSON `cdk synth` wrote from
 * a configuration that passed it.
 *
 * @example
 * ```ts
 * checkBakePolicies(new ConfigView(yamlValue)); // [{ path: ["environments", 0, "bake"], ... }]
 * ```
 */
export function checkBakePolicies(view: ConfigView): PathProblem[] {
  return view.parsed("environments", environment).flatMap(({ index, value }): PathProblem[] => {
    const bake = value.bake;
    const path = ["environments", index, "bake"];
    if (bake === undefined) return [];
    if ((bake.prometheus === undefined) === (bake.cloudwatchAlarm === undefined)) {
      return [
        {
          path,
          message: bake.prometheus === undefined ? "names no check" : "names two checks",
          fix: "give it either prometheus: { url, query } or cloudwatchAlarm: <name or ARN>",
        },
      ];
    }
    const url = bake.prometheus?.url;
    if (url !== undefined && !isPrometheusUrl(url)) {
      return [
        {
          path: [...path, "prometheus", "url"],
          message: `'${url}' is not an http(s) URL`,
          fix: "write Prometheus' base URL, e.g. http://prometheus.monitoring:9090 (Shipline adds /api/v1/query)",
        },
      ];
    }
    const total = value.verifyDeadlineSeconds + bake.window;
    if (total > MAX_IN_FLIGHT_SECONDS) {
      const room = MAX_IN_FLIGHT_SECONDS - value.verifyDeadlineSeconds;
      return [
        {
          path: [...path, "window"],
          message: `${formatDuration(bake.window)} plus verifyDeadline (${formatDuration(value.verifyDeadlineSeconds)}) is ${formatDuration(total)}, more than the 12h the agent may hold a sync request in flight (an SQS limit)`,
          fix: `make verifyDeadline + bake.window at most 12h: bake.window at most ${formatDuration(room)}, or a shorter verifyDeadline`,
        },
      ];
    }
    const alarm = bake.cloudwatchAlarm;
    if (alarm?.startsWith("arn:") && !ALARM_ARN.test(alarm)) {
      return [
        {
          path: [...path, "cloudwatchAlarm"],
          message: `'${alarm}' is not a CloudWatch alarm ARN`,
          fix: "write the alarm's name, or its ARN: arn:aws:cloudwatch:<region>:<account>:alarm:<name>",
        },
      ];
    }
    return [];
  });
}

function isPrometheusUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && url.hash === "";
}
