import type { PromotionLink } from "../config/promotion-order.js";

/**
 * The environments that count as production for DORA metrics: the last environment of each
 * promotion path, i.e. every environment no other environment promotes from. With the usual single
 * path (`staging` → `production`) that is the last environment in promotion order; with a fan-out
 * (`staging` → `prod-eu`, `staging` → `prod-us`) every leaf counts.
 *
 * @example
 * ```ts
 * productionEnvironments(config.environments); // Set { "production" }
 * ```
 */
export function productionEnvironments(environments: readonly PromotionLink[]): ReadonlySet<string> {
  const upstream = new Set(environments.flatMap((environment) => environment.promoteFrom ?? []));
  return new Set(
    environments
      .filter((environment) => !upstream.has(environment.name))
      .map((environment) => environment.name),
  );
}
