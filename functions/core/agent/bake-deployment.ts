import { formatDuration } from "../config/duration.js";
import type { BakeDetail } from "../contracts/events/bake-detail.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { Clock } from "../ports/clock.js";
import { describeMetricCheck, type MetricChecks, type MetricReading } from "./metric-checks.js";

/** Failure codes of a bake, as `Deployment Failed` carries them. */
export const BakeFailure = {
  /** The check said unhealthy during the window. */
  Breached: "METRIC_CHECK_BREACHED",
  /**
   * The check had no answer for longer than two read intervals, or when the window ended (fail
   * closed).
   */
  Unreachable: "METRIC_CHECK_UNREACHABLE",
} as const;

/** Options of {@link bakeDeployment}. */
export interface BakeDeploymentOptions {
  /** The gate, as the sync request carries it. */
  readonly bake: BakeDetail;
  /** Reads the check; without it every read is unknown and the bake fails closed. */
  readonly checks?: MetricChecks;
  readonly clock: Clock;
  /** Waits between reads; resolves early when `signal` aborts. */
  readonly sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Time between two reads, at most a quarter of the window. @default 15000 */
  readonly intervalMs?: number;
  /** Aborts the bake (shutdown): a retryable `AGENT_STOPPING` is thrown. */
  readonly signal?: AbortSignal;
  /** Names the deployment in the `AGENT_STOPPING` message. */
  readonly what: string;
}

/** How a bake ended: `bake` is the record for the outcome event. */
export type BakeResult =
  | { readonly verdict: "passed"; readonly bake: BakeDetail; readonly seconds: number }
  | {
      readonly verdict: "failed";
      readonly code: (typeof BakeFailure)[keyof typeof BakeFailure];
      readonly reason: string;
      readonly bake: BakeDetail;
      readonly seconds: number;
    };

/**
 * The metric gate of one deployment, run once it is Synced and Healthy: reads the check now and
 * every interval until the window has passed. The first breached read fails it at once
 * (`METRIC_CHECK_BREACHED`, with what the check said and when). The check must answer throughout
 * the window: an unknown read (unreachable, refused, insufficient data) is read again at the next
 * interval, but once the silence since the last answered read (or since the start of the window,
 * before the first answer) exceeds two read intervals the bake fails closed
 * (`METRIC_CHECK_UNREACHABLE`, with why there was no answer), as it does when the last read, at the
 * end of the window, is not healthy. Reads are asked on a fixed grid from the start of the window,
 * so a slow read does not push the next ones later. Nothing is published here: the caller
 * publishes the outcome with `bake`.
 *
 * @example
 * ```ts
 * const result = await bakeDeployment({ bake, checks, clock, sleep, what: "demo-staging at 5e1c2d0" });
 * if (result.verdict === "failed") console.log(result.code, result.reason);
 * ```
 */
export async function bakeDeployment(options: BakeDeploymentOptions): Promise<BakeResult> {
  const { bake, clock } = options;
  const started = clock.now().getTime();
  const windowMs = bake.window * 1000;
  const ends = started + windowMs;
  const intervalMs = Math.max(50, Math.min(options.intervalMs ?? 15_000, windowMs / 4));
  const check = { prometheus: bake.prometheus, cloudwatchAlarm: bake.cloudwatchAlarm };
  const what = describeMetricCheck(check);
  // Longest silence allowed: one unanswered read between two answered ones is tolerated, two are not.
  const maxSilenceMs = 2 * intervalMs;
  let answeredAt = started;
  let answered = false;
  let unanswered: MetricReading | undefined;
  let checks = 0;
  for (;;) {
    const asked = clock.now().getTime();
    const reading = await read(options, check);
    checks += 1;
    const now = clock.now().getTime();
    const elapsed = `${formatDuration((now - started) / 1000)} into the ${formatDuration(bake.window)} bake`;
    const record = { ...bake, checks };
    const seconds = (now - started) / 1000;
    if (reading.state === "breached") {
      return {
        verdict: "failed",
        code: BakeFailure.Breached,
        reason: `the metric check breached ${elapsed}: ${what} ${reading.says}`,
        bake: record,
        seconds,
      };
    }
    if (reading.state === "unknown") unanswered = reading;
    if (asked - answeredAt > maxSilenceMs) {
      const since = answered ? "since its last answer" : "since the bake started";
      return {
        verdict: "failed",
        code: BakeFailure.Unreachable,
        reason: `the metric check had no answer for ${formatDuration((asked - answeredAt) / 1000)} ${since} (more than two read intervals, ${formatDuration(maxSilenceMs / 1000)}), ${elapsed}, so the deployment is not verified (fail closed): ${what}: ${unanswered?.says ?? reading.says}`,
        bake: record,
        seconds,
      };
    }
    if (reading.state === "healthy") {
      answeredAt = asked;
      answered = true;
    }
    if (now >= ends) {
      if (reading.state === "healthy") return { verdict: "passed", bake: record, seconds };
      return {
        verdict: "failed",
        code: BakeFailure.Unreachable,
        reason: `the metric check had no answer at the end of the ${formatDuration(bake.window)} bake, so the deployment is not verified (fail closed): ${what}: ${reading.says}`,
        bake: record,
        seconds,
      };
    }
    // The next read is due at the next point of the grid, never after the end of the window.
    const next = Math.min(started + (Math.floor((now - started) / intervalMs) + 1) * intervalMs, ends);
    await options.sleep(next - now, options.signal);
    if (options.signal?.aborted) {
      throw new ShiplineError({
        code: "AGENT_STOPPING",
        message: `the agent is stopping during the bake of ${options.what}; the request is left for the next agent, which bakes it again`,
        retryable: true,
      });
    }
  }
}

async function read(
  options: BakeDeploymentOptions,
  check: Pick<BakeDetail, "prometheus" | "cloudwatchAlarm">,
): Promise<MetricReading> {
  if (options.checks === undefined) {
    return { state: "unknown", says: "this agent was started without metric checks" };
  }
  if (check.prometheus === undefined && check.cloudwatchAlarm === undefined) {
    return { state: "unknown", says: "the bake names no check; give it prometheus or cloudwatchAlarm" };
  }
  try {
    return await options.checks.read(check, options.signal === undefined ? {} : { signal: options.signal });
  } catch (error) {
    // The port answers unknown for a check's trouble; anything thrown is still no answer.
    return { state: "unknown", says: error instanceof Error ? error.message : String(error) };
  }
}
