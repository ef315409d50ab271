import type { ConfigView } from "./config-view.js";
import { isRecord } from "./fields.js";
import type { PathProblem } from "./issue-messages.js";
import { findPromotionCycles } from "./promotion-order.js";
import { didYouMean } from "./say.js";
import { scanPolicy } from "./scan-policy.js";

const SINGULAR: Record<string, string> = { clusters: "cluster", environments: "environment", apps: "app" };

/**
 * Checks names and references across the file: duplicate names, environments on unknown clusters,
 * `promoteFrom` naming an unknown environment or forming a cycle, deploy targets for unknown
 * environments or skipping the environment they would be promoted from, and allow-list entries for
 * unknown apps.
 *
 * @example
 * ```ts
 * checkReferences(new ConfigView(yamlValue)); // [{ path: ["environments", 1, "cluster"], message: "...", fix: "..." }]
 * ```
 */
export function checkReferences(view: ConfigView): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const list of ["clusters", "environments", "apps"]) problems.push(...duplicates(view, list));
  const clusters = view.names("clusters");
  const environments = view.names("environments");
  const links = view.items("environments").flatMap(({ index, value }) => {
    if (!isRecord(value)) return [];
    if (typeof value.cluster === "string" && !clusters.has(value.cluster)) {
      problems.push(missing(["environments", index, "cluster"], value.cluster, "clusters", clusters));
    }
    const promoteFrom = typeof value.promoteFrom === "string" ? value.promoteFrom : undefined;
    if (promoteFrom !== undefined && !environments.has(promoteFrom)) {
      problems.push(
        missing(["environments", index, "promoteFrom"], promoteFrom, "environments", environments),
      );
    }
    return typeof value.name === "string" ? [{ index, name: value.name, promoteFrom }] : [];
  });
  const cycles = findPromotionCycles(links);
  const inCycle = new Set(cycles.flat());
  for (const cycle of cycles) {
    const first = links.find((link) => link.name === cycle[0]);
    if (first === undefined) continue;
    const loop = cycle
      .map((name, at) => `'${name}' promotes from '${cycle[(at + 1) % cycle.length]}'`)
      .join(", ");
    problems.push({
      path: ["environments", first.index, "promoteFrom"],
      message: cycle.length === 1 ? `'${cycle[0]}' promotes from itself` : `${loop}: a cycle`,
      fix: "remove promoteFrom from the environment that should come first",
    });
  }
  const upstreamOf = new Map(links.map((link) => [link.name, link.promoteFrom]));
  for (const { index, value } of view.items("apps")) {
    const deploy = isRecord(value) && isRecord(value.deploy) ? value.deploy : undefined;
    if (deploy === undefined) continue;
    const targets = Object.keys(deploy);
    if (targets.length === 0) {
      problems.push({
        path: ["apps", index, "deploy"],
        message: "has no targets",
        fix: "add a target for each environment the app runs in, e.g. deploy: { staging: { kind: helm, ... } }",
      });
    }
    for (const target of targets) {
      if (!environments.has(target)) {
        problems.push(missing(["apps", index, "deploy", target], target, "environments", environments));
        continue;
      }
      const upstream = upstreamOf.get(target);
      const known = upstream !== undefined && environments.has(upstream) && !inCycle.has(target);
      if (known && !targets.includes(upstream)) {
        problems.push({
          path: ["apps", index, "deploy", target],
          message: `${target} promotes from ${upstream}, where this app has no target, so nothing could reach ${target}`,
          fix: `add deploy.${upstream} so the image is verified there first`,
        });
      }
    }
  }
  problems.push(...allowListApps(view));
  return problems;
}

function duplicates(view: ConfigView, list: string): PathProblem[] {
  const first = new Map<string, number>();
  const problems: PathProblem[] = [];
  for (const { index, value } of view.named(list)) {
    const earlier = first.get(value);
    if (earlier === undefined) first.set(value, index);
    else {
      problems.push({
        path: [list, index, "name"],
        message: `'${value}' is also the name of ${list}[${earlier}]`,
        fix: `give each ${SINGULAR[list] ?? "item"} its own name`,
      });
    }
  }
  return problems;
}

function missing(path: PathProblem["path"], name: string, list: string, known: Set<string>): PathProblem {
  const guess = didYouMean(name, [...known]);
  const choices = known.size > 0 ? `one of ${[...known].join(", ")}` : `a name declared under ${list}`;
  return {
    path,
    message: `'${name}' is not declared under ${list}`,
    fix: guess ? `did you mean '${guess}'? (${choices})` : `declare it under ${list}, or use ${choices}`,
  };
}

function allowListApps(view: ConfigView): PathProblem[] {
  const apps = view.names("apps");
  const policy = view.section("scanPolicy", scanPolicy);
  const problems: PathProblem[] = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of (policy?.allowList ?? []).entries()) {
    for (const [appIndex, name] of (entry.apps ?? []).entries()) {
      if (!apps.has(name)) {
        problems.push(missing(["scanPolicy", "allowList", index, "apps", appIndex], name, "apps", apps));
      }
    }
    const scope = `${entry.id} ${(entry.apps ?? ["*"]).toSorted().join(",")}`;
    const earlier = seen.get(scope);
    if (earlier === undefined) seen.set(scope, index);
    else {
      problems.push({
        path: ["scanPolicy", "allowList", index, "id"],
        message: `${entry.id} is already allowed by scanPolicy.allowList[${earlier}]`,
        fix: "keep one entry (with the later expiry)",
      });
    }
  }
  return problems;
}
