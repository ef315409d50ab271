import { DetailType, SHIPLINE_SOURCE } from "../contracts/detail-type.js";
import { resourceName } from "../contracts/primitives.js";
import { ShiplineError } from "../errors/shipline-error.js";
import { RETRY_POLICIES } from "./retry-policies.js";
import type { RuleDefinition } from "./rule-definition.js";

/** The events an agent observes for its delivery metrics, besides the sync requests it handles. */
export const OBSERVED_DETAIL_TYPES = [
  DetailType.HoldPlaced,
  DetailType.HoldReleased,
  DetailType.PromotionWaiting,
] as const;

/**
 * The rule that sends the holds and waits of one cluster's environments to its agent's queue
 * (`Hold Placed`, `Hold Released`, `Promotion Waiting` whose `detail.environment` runs on the
 * cluster), so that the agent's `/metrics` counts them per app and environment; the agent counts
 * and deletes them. Undefined for a cluster that runs no environment. Throws a permanent
 * `RULE_CLUSTER_INVALID` for a name that is not a Shipline resource name.
 *
 * @example
 * ```ts
 * const rule = clusterObservationRule("prod-eu", ["staging", "production"]);
 * // rule?.eventPattern.detail = { environment: ["staging", "production"] }
 * ```
 */
export function clusterObservationRule(
  cluster: string,
  environments: readonly string[],
): RuleDefinition | undefined {
  if (!resourceName.safeParse(cluster).success) {
    throw new ShiplineError({
      code: "RULE_CLUSTER_INVALID",
      message: `Cluster name '${cluster}' is not valid; use lower-case letters, digits and '-' (at most 63 characters, no leading or trailing '-')`,
      data: { cluster },
    });
  }
  if (environments.length === 0) return undefined;
  return {
    name: `cluster-queue-${cluster}-on-holds-and-waits`,
    description: `Show the holds and waits of cluster ${cluster}'s environments to its agent's metrics`,
    bus: "shipline",
    eventPattern: {
      source: [SHIPLINE_SOURCE],
      "detail-type": [...OBSERVED_DETAIL_TYPES],
      detail: { environment: [...new Set(environments)] },
    },
    target: { kind: "cluster-queue" },
    retry: RETRY_POLICIES.durable,
  };
}
