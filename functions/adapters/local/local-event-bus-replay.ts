import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { RegisteredRule } from "../../local/bus/rule-index.js";

/** What to replay from the archive of the local bus. */
export interface ReplayOptions {
  /** The replay's name, set as `replay-name` on every replayed event. */
  readonly name: string;
  /** Start of the window (inclusive), by time of archiving. @default - the first event */
  readonly from?: Date;
  /** End of the window (exclusive). @default - now */
  readonly to?: Date;
  /** Rule names to replay to. @default - every rule */
  readonly rules?: readonly string[];
}

/** What a replay did. */
export interface ReplayResult {
  readonly name: string;
  /** Archived events in the window. */
  readonly events: number;
  /** Deliveries scheduled (one per event and matching selected rule). */
  readonly deliveries: number;
}

/**
 * Picks the rules a replay delivers to: every rule, or the named ones. Throws `REPLAY_INVALID` for
 * an empty name, an inverted window or a rule that is not on the bus.
 *
 * @example
 * ```ts
 * const names = selectReplayRules(bus.listRules(), { name: "fix-1", rules: ["ledger-on-build-started"] });
 * ```
 */
export function selectReplayRules(
  rules: readonly RegisteredRule[],
  options: ReplayOptions,
): ReadonlySet<string> {
  const problem = replayProblem(rules, options);
  if (problem) {
    throw new ShiplineError({
      code: "REPLAY_INVALID",
      message: problem,
      data: { name: options.name, rules: options.rules ?? [] },
    });
  }
  return new Set(options.rules ?? rules.map((rule) => rule.definition.name));
}

function replayProblem(rules: readonly RegisteredRule[], options: ReplayOptions): string | undefined {
  if (options.name.trim() === "") return "A replay needs a name; it is set as replay-name on each event";
  if (options.from && options.to && options.from >= options.to) {
    return `Replay window is empty: from ${options.from.toISOString()} is not before to ${options.to.toISOString()}`;
  }
  const known = new Set(rules.map((rule) => rule.definition.name));
  const unknown = (options.rules ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    return `Replay names rules that are not on the local bus: ${unknown.join(", ")}; known rules: ${[...known].join(", ")}`;
  }
  return undefined;
}
