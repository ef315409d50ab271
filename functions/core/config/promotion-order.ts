/** The promotion link of an environment: its name and the environment it promotes from. */
export interface PromotionLink {
  readonly name: string;
  readonly promoteFrom?: string;
}

/**
 * Finds the cycles in `promoteFrom` links, each as the names met following `promoteFrom`, starting
 * from the environment listed first. Links to unknown environments end a path (they are reported elsewhere).
 *
 * @example
 * ```ts
 * findPromotionCycles([{ name: "a", promoteFrom: "b" }, { name: "b", promoteFrom: "a" }]); // [["a", "b"]]: a <- b <- a
 * ```
 */
export function findPromotionCycles(links: readonly PromotionLink[]): string[][] {
  const upstream = new Map<string, string | undefined>();
  for (const link of links) if (!upstream.has(link.name)) upstream.set(link.name, link.promoteFrom);
  const cycles: string[][] = [];
  const settled = new Set<string>();
  for (const link of links) {
    const trail: string[] = [];
    let current: string | undefined = link.name;
    while (
      current !== undefined &&
      upstream.has(current) &&
      !settled.has(current) &&
      !trail.includes(current)
    ) {
      trail.push(current);
      current = upstream.get(current);
    }
    if (current !== undefined && trail.includes(current)) {
      const cycle = trail.slice(trail.indexOf(current));
      const first = links.find((candidate) => cycle.includes(candidate.name))?.name ?? current;
      const start = cycle.indexOf(first);
      cycles.push([...cycle.slice(start), ...cycle.slice(0, start)]);
    }
    for (const name of trail) settled.add(name);
  }
  return cycles;
}

/**
 * Orders environments along the promotion path: first environments (no `promoteFrom`) in file
 * order, then each environment after the one it promotes from. Environments in a cycle or fed by
 * an unknown environment are left out (a validated config has none).
 *
 * @example
 * ```ts
 * promotionOrder(config.environments).map((environment) => environment.name); // ["staging", "production"]
 * ```
 */
export function promotionOrder<T extends PromotionLink>(environments: readonly T[]): T[] {
  const ordered: T[] = [];
  const queue = environments.filter((environment) => environment.promoteFrom === undefined);
  while (queue.length > 0) {
    const next = queue.shift();
    if (next === undefined || ordered.includes(next)) continue;
    ordered.push(next);
    queue.push(...environments.filter((environment) => environment.promoteFrom === next.name));
  }
  return ordered;
}
