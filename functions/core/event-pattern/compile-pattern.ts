import type { EventPattern } from "../topology/rule-definition.js";
import { compileLeaf, type LeafNode } from "./compile-leaf.js";
import { invalidPattern, joinPath } from "./invalid-pattern.js";
import { describeValue, isJsonObject } from "./json-value.js";

/** The most `$or` combinations one pattern may expand to, as EventBridge allows. */
export const MAX_OR_COMBINATIONS = 1000;

/** Field names that cannot appear inside a `$or` branch (they are match operators). */
const RESERVED_IN_OR = new Set([
  "anything-but",
  "cidr",
  "equals-ignore-case",
  "exact",
  "exists",
  "numeric",
  "prefix",
  "suffix",
  "wildcard",
]);

/** One named field of a pattern object: either a leaf (array of values) or a nested object. */
export type FieldNode =
  | { readonly key: string; readonly leaf: LeafNode; readonly child?: undefined }
  | { readonly key: string; readonly child: ObjectNode; readonly leaf?: undefined };

/** A compiled pattern object: its fields (ANDed) and its `$or` groups (each an OR of objects). */
export interface ObjectNode {
  readonly fields: readonly FieldNode[];
  readonly ors: readonly (readonly ObjectNode[])[];
  /** True when every leaf below is `exists: false`: then no array element may have the paths. */
  readonly absenceOnly: boolean;
}

/** A validated, precompiled event pattern, ready for {@link matches}. */
export interface CompiledPattern {
  /** The pattern as given (parsed from JSON when it was a string). */
  readonly pattern: EventPattern;
  readonly root: ObjectNode;
  /** How many `$or` combinations the pattern expands to (1 without `$or`). */
  readonly combinations: number;
}

/**
 * Validates an EventBridge event pattern (an object, or its JSON text) and compiles it for fast
 * matching. Throws a `ShiplineError` with code `INVALID_EVENT_PATTERN` whose message gives
 * EventBridge's reason and the offending field, so a bad rule is refused when it is added.
 *
 * @example
 * ```ts
 * const compiled = compilePattern({ source: ["aws.ecr"], detail: { result: ["SUCCESS"] } });
 * matches(compiled, event);
 * ```
 */
export function compilePattern(pattern: unknown): CompiledPattern {
  const parsed = typeof pattern === "string" ? parseJson(pattern) : pattern;
  if (!isJsonObject(parsed)) {
    throw invalidPattern(`Filter is not an object: ${describeValue(parsed)}`, "");
  }
  const root = compileObject(parsed, "", false);
  const combinations = countCombinations(root);
  if (combinations > MAX_OR_COMBINATIONS) {
    throw invalidPattern(
      `The $or expansion of this pattern gives ${combinations} combinations, more than the ${MAX_OR_COMBINATIONS} allowed; split it into several rules`,
      "",
    );
  }
  return { pattern: parsed, root, combinations };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw invalidPattern(`Filter is not valid JSON: ${detail}`, "");
  }
}

function compileObject(object: Record<string, unknown>, path: string, insideOr: boolean): ObjectNode {
  const keys = Object.keys(object);
  if (keys.length === 0) throw invalidPattern("Empty objects are not allowed", path);
  const fields: FieldNode[] = [];
  const ors: ObjectNode[][] = [];
  for (const key of keys) {
    const value = object[key];
    const fieldPath = joinPath(path, key);
    if (key === "$or") {
      ors.push(compileOr(value, fieldPath));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      throw invalidPattern(`${key} is Ruler reserved fieldName which cannot be used inside $or.`, fieldPath);
    }
    if (Array.isArray(value)) fields.push({ key, leaf: compileLeaf(value, fieldPath) });
    else if (isJsonObject(value)) fields.push({ key, child: compileObject(value, fieldPath, insideOr) });
    else {
      throw invalidPattern(
        `"${key}" must be an object or an array, got ${describeValue(value)}; wrap values in an array, e.g. ["${String(value)}"]`,
        fieldPath,
      );
    }
  }
  const absenceOnly =
    fields.every((field) =>
      field.leaf ? field.leaf.matchesAbsent && isOnlyAbsence(field.leaf) : field.child.absenceOnly,
    ) && ors.every((group) => group.every((branch) => branch.absenceOnly));
  return { fields, ors, absenceOnly };
}

function isOnlyAbsence(leaf: LeafNode): boolean {
  return (
    !leaf.matchesPresent && leaf.strings.size === 0 && leaf.literals.size === 0 && leaf.tests.length === 0
  );
}

function compileOr(value: unknown, path: string): ObjectNode[] {
  if (!Array.isArray(value)) {
    throw invalidPattern(`It must be an Array followed with $or, got ${describeValue(value)}`, path);
  }
  const branches = value.map((branch, index) => {
    if (!isJsonObject(branch)) {
      throw invalidPattern("Only JSON object is allowed in array of $or relationship.", `${path}[${index}]`);
    }
    return compileObject(branch, `${path}[${index}]`, true);
  });
  if (branches.length < 2) {
    throw invalidPattern(
      `There must have at least 2 Objects in $or relationship, got ${branches.length}; without alternatives, drop the $or`,
      path,
    );
  }
  return branches;
}

function countCombinations(node: ObjectNode): number {
  let total = 1;
  for (const field of node.fields) if (field.child) total *= countCombinations(field.child);
  for (const group of node.ors) total *= group.reduce((sum, branch) => sum + countCombinations(branch), 0);
  return total;
}
