import { type LeafNode, leafAccepts } from "./compile-leaf.js";
import type { CompiledPattern, ObjectNode } from "./compile-pattern.js";
import { isJsonObject, isScalar } from "./json-value.js";

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Tells whether an event matches a compiled pattern, with EventBridge's semantics: fields ANDed,
 * values ORed, arrays in the event match when any element does, and all fields of one pattern
 * object must be satisfied by the same element of an array of objects.
 *
 * @example
 * ```ts
 * const compiled = compilePattern({ "detail-type": ["Image Pushed"] });
 * if (matches(compiled, event)) await target(event);
 * ```
 */
export function matches(compiled: CompiledPattern, event: unknown): boolean {
  return isJsonObject(event) && matchObject(compiled.root, event);
}

function matchObject(node: ObjectNode, value: unknown): boolean {
  if (Array.isArray(value)) {
    return node.absenceOnly
      ? value.every((element) => matchObject(node, element))
      : value.some((element) => matchObject(node, element));
  }
  const object = isJsonObject(value) ? value : EMPTY;
  for (const field of node.fields) {
    const child = Object.hasOwn(object, field.key) ? object[field.key] : undefined;
    if (field.leaf ? !matchLeaf(field.leaf, child) : !matchObject(field.child, child)) return false;
  }
  for (const group of node.ors) {
    if (!group.some((branch) => matchObject(branch, object))) return false;
  }
  return true;
}

const NO_VALUE = 0;
const NO_MATCH = 1;
const MATCH = 2;

function matchLeaf(leaf: LeafNode, value: unknown): boolean {
  if (value === undefined) return leaf.matchesAbsent;
  if (Array.isArray(value)) {
    const outcome = matchArray(leaf, value);
    return outcome === MATCH || (outcome === NO_VALUE && leaf.matchesAbsent);
  }
  // A path that ends at an object has no leaf value: only `exists: false` matches it.
  if (typeof value === "object" && value !== null) return leaf.matchesAbsent;
  if (isScalar(value)) {
    return leafAccepts(leaf, value);
  }
  return false;
}

function matchArray(leaf: LeafNode, values: readonly unknown[]): number {
  let outcome = NO_VALUE;
  for (const element of values) {
    if (Array.isArray(element)) {
      const nested = matchArray(leaf, element);
      if (nested === MATCH) return MATCH;
      if (nested === NO_MATCH) outcome = NO_MATCH;
    } else if (isScalar(element)) {
      if (leafAccepts(leaf, element)) return MATCH;
      outcome = NO_MATCH;
    }
  }
  return outcome;
}
