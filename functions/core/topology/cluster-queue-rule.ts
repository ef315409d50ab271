import { resourceName } from "../contracts/primitives.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { RuleDefinition } from "./rule-definition.js";
import { ruleNamed } from "./rule-topology.js";

/**
 * The rule that routes `Sync Requested` to one cluster's queue: the topology's cluster-queue rule
 * narrowed to `detail.cluster`. Throws a permanent `RULE_CLUSTER_INVALID` error for a name that is
 * not a Shipline resource name.
 *
 * @example
 * ```ts
 * const rule = clusterQueueRule("prod-eu");
 * // rule.eventPattern.detail = { cluster: ["prod-eu"] }
 * ```
 */
export function clusterQueueRule(cluster: string): RuleDefinition {
  if (!resourceName.safeParse(cluster).success) {
    throw new ShiplineError({
      code: "RULE_CLUSTER_INVALID",
      message: `Cluster name '${cluster}' is not valid; use lower-case letters, digits and '-' (at most 63 characters, no leading or trailing '-')`,
      data: { cluster },
    });
  }
  const base = ruleNamed("cluster-queue-on-sync-requested");
  return {
    ...base,
    name: `cluster-queue-${cluster}-on-sync-requested`,
    description: `Queue a sync request for the agent of cluster ${cluster}`,
    eventPattern: { ...structuredClone(base.eventPattern), detail: { cluster: [cluster] } },
  };
}
