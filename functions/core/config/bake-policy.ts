import * as z from "zod";
import { durationSeconds } from "./duration.js";
import { text } from "./fields.js";

/**
 * The metric gate of an environment (`environments[].bake`): after the agent has seen the config
 * commit Synced and Healthy, it keeps checking one signal for `window` and publishes `Deployment
 * Verified` only if the signal stayed healthy; a breach fails the deployment (and `autoRollback`
 * reverts it). One check, either:
 * - `prometheus: { url, query }`: an instant query on Prometheus' HTTP API (`/api/v1/query`),
 *   written as an alerting rule's expression: the bake holds while it returns no series and is
 *   breached as soon as it returns one (`rate(http_requests_total{code=~"5.."}[1m]) > 0.5`);
 * - `cloudwatchAlarm`: a CloudWatch alarm's name or ARN (metric or composite), breached in `ALARM`.
 *
 * A check that cannot be answered (unreachable, refused, an alarm with insufficient data) is asked
 * again at the next check; if it is silent for more than two checks, or has no answer when the
 * window ends, the deployment fails closed. Parsed `window` is in seconds (1s..12h: the agent keeps
 * the request in flight meanwhile). That exactly one check is named, the URL's form, and that
 * `verifyDeadline + window` stays within the 12h a request may be in flight, are checked where the
 * YAML is read (`checkBakePolicies`), which keeps this schema small in every step function.
 *
 * @example
 * ```ts
 * bakePolicy.parse({ window: "5m", cloudwatchAlarm: "shop-5xx" }); // { window: 300, cloudwatchAlarm: "shop-5xx" }
 * ```
 */
export const bakePolicy = z.strictObject({
  window: durationSeconds({ min: 1, max: 12 * 3600 }),
  prometheus: z.strictObject({ url: text("Prometheus' base URL"), query: text("a PromQL query") }).optional(),
  cloudwatchAlarm: text("an alarm name or ARN").optional(),
});

/** An environment's metric gate (output of {@link bakePolicy}); `window` in seconds. */
export type BakePolicy = z.output<typeof bakePolicy>;
