import { DetailType } from "../contracts/detail-type.js";
import { applyEnvironmentHop, chainRank, type EnvironmentState } from "./environment-state.js";
import type { JourneyHop } from "./ledger-hop.js";

/**
 * The state of each environment, derived from the hops about it (DESIGN §7: one model, derived from
 * the events): hops are replayed per environment in time order (then chain order, then cause before
 * effect, then event id),
 * so the answer does not depend on the order the ledger received them in, and a hop recorded twice
 * counts once.
 *
 * @example
 * ```ts
 * const states = environmentStatesOf(await reader.environmentHops("demo"));
 * states.find((state) => state.environment === "production")?.deployed?.tag;
 * ```
 */
export function environmentStatesOf(hops: readonly JourneyHop[]): EnvironmentState[] {
  const byEnvironment = new Map<string, Map<string, JourneyHop>>();
  for (const hop of hops) {
    if (hop.environment === undefined) continue;
    const known = byEnvironment.get(hop.environment) ?? new Map<string, JourneyHop>();
    known.set(hop.eventId, hop);
    byEnvironment.set(hop.environment, known);
  }
  const states: EnvironmentState[] = [];
  for (const environmentHops of byEnvironment.values()) {
    const ordered = [...environmentHops.values()].sort(
      (left, right) =>
        left.at.localeCompare(right.at) ||
        chainRank(left.detailType) - chainRank(right.detailType) ||
        causalOrder(left, right) ||
        left.eventId.localeCompare(right.eventId),
    );
    const state = ordered.reduce<EnvironmentState | undefined>(
      (current, hop) => applyEnvironmentHop(current, hop) ?? current,
      undefined,
    );
    if (state !== undefined) states.push(state);
  }
  return states.sort((left, right) => left.environment.localeCompare(right.environment));
}

/**
 * Orders two config commits of the same second by cause: a commit that took out an image (a revert,
 * a person's pin) comes after the commit that put that image in.
 */
function causalOrder(left: JourneyHop, right: JourneyHop): number {
  if (left.detailType !== DetailType.ConfigCommitted || right.detailType !== DetailType.ConfigCommitted)
    return 0;
  if (left.replacedTag !== undefined && left.replacedTag === right.tag && left.tag !== right.tag) return 1;
  if (right.replacedTag !== undefined && right.replacedTag === left.tag && right.tag !== left.tag) return -1;
  return 0;
}
