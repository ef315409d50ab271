import { compileAnythingBut } from "./anything-but.js";
import { invalidPattern, joinPath } from "./invalid-pattern.js";
import { cidrContains, parseCidr, parseIpAddress } from "./ip-address.js";
import { describeValue, isJsonObject, type Scalar, type ScalarTest } from "./json-value.js";
import { compileNumeric } from "./numeric-condition.js";
import { compileAffix, compileWildcardTest, stringTest } from "./string-condition.js";

/**
 * A compiled leaf of a pattern: the array of values a field may take. Exact strings and other
 * literals are looked up in sets; every other operator is a precompiled test.
 */
export interface LeafNode {
  /** Exact string values (case-sensitive). */
  readonly strings: ReadonlySet<string>;
  /** Exact numbers, booleans and null (type-strict). */
  readonly literals: ReadonlySet<number | boolean | null>;
  /** Operator tests (prefix, numeric, anything-but, …). */
  readonly tests: readonly ScalarTest[];
  /** `{"exists": true}`: any present value passes. */
  readonly matchesPresent: boolean;
  /** `{"exists": false}`: passes when no value is at the path. */
  readonly matchesAbsent: boolean;
}

/**
 * Validates and compiles the array at a pattern leaf. Throws `INVALID_EVENT_PATTERN` naming the
 * field for an empty array, a nested array or object that is not a known match expression.
 *
 * @example
 * ```ts
 * const leaf = compileLeaf(["running", { prefix: "stop" }], "detail.state");
 * ```
 */
export function compileLeaf(values: readonly unknown[], path: string): LeafNode {
  if (values.length === 0) throw invalidPattern("Empty arrays are not allowed", path);
  const strings = new Set<string>();
  const literals = new Set<number | boolean | null>();
  const tests: ScalarTest[] = [];
  let matchesPresent = false;
  let matchesAbsent = false;
  for (const value of values) {
    if (typeof value === "string") {
      strings.add(value);
      const ip = parseIpAddress(value);
      // EventBridge compares IP literals as addresses, so "::1" also matches "0:0:0:0:0:0:0:1".
      if (ip) tests.push(ipEquals(ip.version, ip.value));
    } else if (value === null || typeof value === "boolean" || typeof value === "number") {
      literals.add(value);
    } else if (isJsonObject(value)) {
      const expression = compileExpression(value, path);
      if (expression === "exists") matchesPresent = true;
      else if (expression === "absent") matchesAbsent = true;
      else tests.push(expression);
    } else {
      throw invalidPattern(
        `Match value must be String, number, true, false, or null; got ${describeValue(value)}`,
        path,
      );
    }
  }
  return { strings, literals, tests, matchesPresent, matchesAbsent };
}

/**
 * Tells whether one scalar event value passes a leaf (ignoring `exists`).
 *
 * @example
 * ```ts
 * leafAccepts(leaf, "running");
 * ```
 */
export function leafAccepts(leaf: LeafNode, value: Scalar): boolean {
  if (leaf.matchesPresent) return true;
  if (typeof value === "string" ? leaf.strings.has(value) : leaf.literals.has(value)) return true;
  for (const test of leaf.tests) if (test(value)) return true;
  return false;
}

function compileExpression(
  expression: Record<string, unknown>,
  path: string,
): ScalarTest | "exists" | "absent" {
  const keys = Object.keys(expression);
  const operator = keys[0];
  if (operator === undefined) throw invalidPattern("Match expression name not found: {} is empty", path);
  if (keys.length > 1) {
    throw invalidPattern(`Only one key allowed in match expression, got ${describeValue(expression)}`, path);
  }
  const operand = expression[operator];
  const innerPath = joinPath(path, operator);
  switch (operator) {
    case "exact":
      if (typeof operand !== "string")
        throw invalidPattern("exact match pattern must be a string", innerPath);
      return (value) => value === operand;
    case "prefix":
    case "suffix":
      return compileAffix(operator, operand, innerPath);
    case "equals-ignore-case":
      if (typeof operand !== "string") {
        throw invalidPattern("equals-ignore-case match pattern must be a string", innerPath);
      }
      return stringTest("equals-ignore-case", operand);
    case "wildcard":
      return compileWildcardTest(operand, innerPath);
    case "anything-but":
      return compileAnythingBut(operand, innerPath);
    case "numeric":
      return compileNumeric(operand, innerPath);
    case "cidr":
      return compileCidr(operand, innerPath);
    case "exists":
      if (typeof operand !== "boolean") {
        throw invalidPattern("exists match pattern must be either true or false.", innerPath);
      }
      return operand ? "exists" : "absent";
    default:
      throw invalidPattern(
        `Unrecognized match type ${operator}; use prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists or cidr`,
        path,
      );
  }
}

function compileCidr(operand: unknown, path: string): ScalarTest {
  if (typeof operand !== "string") throw invalidPattern("cidr match pattern must be a string", path);
  const block = parseCidr(operand);
  if (typeof block === "string") throw invalidPattern(block, path);
  return (value) => {
    if (typeof value !== "string") return false;
    const address = parseIpAddress(value);
    return address !== undefined && cidrContains(block, address);
  };
}

function ipEquals(version: 4 | 6, expected: bigint): ScalarTest {
  return (value) => {
    if (typeof value !== "string" || !value.includes(version === 4 ? "." : ":")) return false;
    const address = parseIpAddress(value);
    return address !== undefined && address.version === version && address.value === expected;
  };
}
