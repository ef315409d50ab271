import { invalidPattern } from "./invalid-pattern.js";
import { describeValue, type ScalarTest } from "./json-value.js";

const LOWER = new Set([">", ">="]);
const UPPER = new Set(["<", "<="]);

/**
 * Compiles the array of a `numeric` match (`["=", 3]`, `[">=", 0, "<", 5]`, `["<", 10]`) into a
 * test that only JSON numbers can pass (a numeric-looking string never does). Bounds use the full
 * double range. Throws `INVALID_EVENT_PATTERN` for any other shape.
 *
 * @example
 * ```ts
 * const test = compileNumeric([">", 0, "<=", 5], "detail.count");
 * test(3); // true
 * ```
 */
export function compileNumeric(terms: unknown, path: string): ScalarTest {
  if (!Array.isArray(terms)) throw invalidPattern('Value of "numeric" must be an array.', path);
  const [operator, value, secondOperator, secondValue, ...rest] = terms;
  if (typeof operator !== "string") {
    throw invalidPattern(`Invalid member in numeric match: ${describeValue(operator)}`, path);
  }
  if (operator !== "=" && !LOWER.has(operator) && !UPPER.has(operator)) {
    throw invalidPattern(`Unrecognized numeric range operator: ${operator}; use =, <, <=, > or >=`, path);
  }
  const first = requireNumber(operator, value, path);
  if (operator === "=" || UPPER.has(operator)) {
    if (terms.length > 2) throw invalidPattern("Too many elements in numeric expression", path);
    if (operator === "=") return (candidate) => candidate === first;
    return operator === "<" ? upperBound(first, true) : upperBound(first, false);
  }
  const lowerOpen = operator === ">";
  if (terms.length === 2) return lowerBound(first, lowerOpen);
  if (typeof secondOperator !== "string" || !UPPER.has(secondOperator)) {
    throw invalidPattern(
      `Bad numeric range operator: ${describeValue(secondOperator)}; a range is [">" or ">=", low, "<" or "<=", high]`,
      path,
    );
  }
  const second = requireNumber(secondOperator, secondValue, path);
  if (rest.length > 0) throw invalidPattern("Too many terms in numeric range expression", path);
  if (first >= second) {
    throw invalidPattern(`Bottom must be less than top: ${first} is not below ${second}`, path);
  }
  const upperOpen = secondOperator === "<";
  return (candidate) =>
    typeof candidate === "number" &&
    (lowerOpen ? candidate > first : candidate >= first) &&
    (upperOpen ? candidate < second : candidate <= second);
}

function requireNumber(operator: string, value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw invalidPattern(`Value of ${operator} must be numeric, got ${describeValue(value)}`, path);
  }
  return value;
}

function lowerBound(bound: number, open: boolean): ScalarTest {
  return open
    ? (candidate) => typeof candidate === "number" && candidate > bound
    : (candidate) => typeof candidate === "number" && candidate >= bound;
}

function upperBound(bound: number, open: boolean): ScalarTest {
  return open
    ? (candidate) => typeof candidate === "number" && candidate < bound
    : (candidate) => typeof candidate === "number" && candidate <= bound;
}
