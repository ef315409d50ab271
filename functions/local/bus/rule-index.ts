import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type CompiledPattern, compilePattern } from "../../core/event-pattern/compile-pattern.js";
import { matches } from "../../core/event-pattern/matches.js";
import type { RuleDefinition } from "../../core/topology/rule-definition.js";

/** The function a rule delivers to; a rejection means the delivery failed and may be retried. */
export type RuleTargetFunction = (event: EventEnvelope) => Promise<void>;

/** A rule on the local bus: its definition, compiled pattern and target. */
export interface RegisteredRule {
  readonly definition: RuleDefinition;
  readonly compiled: CompiledPattern;
  readonly target: RuleTargetFunction;
  /** How dead letters name the target, e.g. `step:start-build`. */
  readonly targetName: string;
}

const MAX_CACHED_KEYS = 10_000;

/**
 * The rules of the local bus, indexed by the exact `source` and `detail-type` values their
 * patterns require, so that an event is only tested against rules that can match it.
 *
 * @example
 * ```ts
 * const index = new RuleIndex();
 * index.add(rule, async (event) => handler(event));
 * for (const rule of index.match(event)) deliver(rule, event);
 * ```
 */
export class RuleIndex {
  private readonly rules: RegisteredRule[] = [];
  private readonly candidates = new Map<string, RegisteredRule[]>();

  /** Compiles and adds a rule; throws `INVALID_EVENT_PATTERN` for a bad pattern, `RULE_EXISTS` for a taken name. */
  add(definition: RuleDefinition, target: RuleTargetFunction, targetName?: string): RegisteredRule {
    if (this.rules.some((rule) => rule.definition.name === definition.name)) {
      throw new ShiplineError({
        code: "RULE_EXISTS",
        message: `A rule named "${definition.name}" is already on the local bus; rule names must be unique`,
        data: { rule: definition.name },
      });
    }
    const compiled = compilePattern(definition.eventPattern);
    const rule = { definition, compiled, target, targetName: targetName ?? describeTarget(definition) };
    this.rules.push(rule);
    this.candidates.clear();
    return rule;
  }

  /** Removes a rule by name; tells whether it was there. */
  remove(name: string): boolean {
    const index = this.rules.findIndex((rule) => rule.definition.name === name);
    if (index < 0) return false;
    this.rules.splice(index, 1);
    this.candidates.clear();
    return true;
  }

  /** Every rule, in the order added. */
  list(): readonly RegisteredRule[] {
    return this.rules;
  }

  /** The rules whose pattern matches the event, in the order added. */
  match(event: EventEnvelope): RegisteredRule[] {
    const matched: RegisteredRule[] = [];
    for (const rule of this.candidatesFor(event.source, event["detail-type"])) {
      if (matches(rule.compiled, event)) matched.push(rule);
    }
    return matched;
  }

  private candidatesFor(source: string, detailType: string): readonly RegisteredRule[] {
    const key = `${source}\u0000${detailType}`;
    let list = this.candidates.get(key);
    if (!list) {
      list = this.rules.filter(
        (rule) => admits(rule.compiled, "source", source) && admits(rule.compiled, "detail-type", detailType),
      );
      if (this.candidates.size >= MAX_CACHED_KEYS) this.candidates.clear();
      this.candidates.set(key, list);
    }
    return list;
  }
}

/** False only when the pattern names the field with exact strings alone and the value is not one. */
function admits(compiled: CompiledPattern, field: string, value: string): boolean {
  const node = compiled.root.fields.find((candidate) => candidate.key === field);
  const leaf = node?.leaf;
  if (!leaf || leaf.tests.length > 0 || leaf.literals.size > 0 || leaf.matchesPresent || leaf.matchesAbsent) {
    return true;
  }
  return leaf.strings.has(value);
}

function describeTarget(definition: RuleDefinition): string {
  const target = definition.target;
  return target.kind === "step" ? `step:${target.step}` : target.kind;
}
