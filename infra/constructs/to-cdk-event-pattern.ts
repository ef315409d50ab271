import type * as events from "aws-cdk-lib/aws-events";
import * as z from "zod";
import { formatIssues } from "../../functions/core/contracts/format-issues.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import type { EventPattern } from "../../functions/core/topology/rule-definition.js";

const valueList = z.array(z.string(), "expected a list of exact values");

/** The top-level fields of an EventBridge pattern, as the topology writes them. */
const topologyPattern = z.strictObject({
  version: valueList.optional(),
  id: valueList.optional(),
  "detail-type": valueList.optional(),
  source: valueList.optional(),
  account: valueList.optional(),
  time: valueList.optional(),
  region: valueList.optional(),
  resources: valueList.optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Turns a topology pattern (EventBridge's JSON field names, `detail-type`) into the pattern
 * `aws-events` takes (`detailType`), which renders back to the same JSON. Envelope fields take exact
 * values only; content filters belong under `detail`. Throws a permanent `EVENT_PATTERN_UNSUPPORTED`
 * error naming every field it cannot carry over.
 *
 * @example
 * ```ts
 * new events.Rule(this, "Rule", { eventPattern: toCdkEventPattern(definition.eventPattern) });
 * ```
 */
export function toCdkEventPattern(pattern: EventPattern): events.EventPattern {
  const parsed = topologyPattern.safeParse(pattern);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues, "eventPattern");
    throw new ShiplineError({
      code: "EVENT_PATTERN_UNSUPPORTED",
      message: `The event pattern ${JSON.stringify(pattern)} cannot be deployed: ${problems.join("; ")}; use EventBridge's top-level fields with lists of exact values, and put content filters under detail`,
      data: { problems },
    });
  }
  const { "detail-type": detailType, ...rest } = parsed.data;
  return detailType === undefined ? rest : { ...rest, detailType };
}
