import { invalidPattern, joinPath } from "./invalid-pattern.js";
import { describeValue, isJsonObject, type ScalarTest } from "./json-value.js";
import { compileWildcardTest, stringTest } from "./string-condition.js";

const NESTED_OPERATORS = ["prefix", "suffix", "equals-ignore-case", "wildcard"] as const;
type NestedOperator = (typeof NESTED_OPERATORS)[number];

/**
 * Compiles an `anything-but` operand: one string or number, a list of strings or a list of
 * numbers, or an object with `prefix`, `suffix`, `equals-ignore-case` or `wildcard` (one string or
 * a list). The test passes for every present value that is not excluded; the string forms never
 * exclude numbers, booleans or null.
 *
 * @example
 * ```ts
 * const test = compileAnythingBut({ prefix: "us-" }, "region");
 * test("eu-west-1"); // true
 * ```
 */
export function compileAnythingBut(operand: unknown, path: string): ScalarTest {
  if (isJsonObject(operand)) return compileNested(operand, path);
  if (typeof operand === "string") return (value) => value !== operand;
  if (typeof operand === "number") return (value) => value !== operand;
  if (!Array.isArray(operand)) {
    throw invalidPattern(
      `Value of anything-but must be an array or single string/number value, got ${describeValue(operand)}`,
      path,
    );
  }
  const strings = operand.every((item) => typeof item === "string");
  const numbers = operand.every((item) => typeof item === "number");
  if (operand.length === 0 || (!strings && !numbers)) {
    throw invalidPattern(
      `Inside anything but list, either all values are number or string, mixed type is not supported: ${describeValue(operand)}`,
      path,
    );
  }
  const excluded = new Set<unknown>(operand);
  return (value) => !excluded.has(value);
}

function compileNested(operand: Record<string, unknown>, path: string): ScalarTest {
  const keys = Object.keys(operand);
  const operator = NESTED_OPERATORS.find((candidate) => candidate === keys[0]);
  if (keys.length !== 1 || operator === undefined) {
    throw invalidPattern(
      `Unsupported anything-but pattern: ${describeValue(operand)}; nest exactly one of ${NESTED_OPERATORS.join(", ")}`,
      path,
    );
  }
  const innerPath = joinPath(path, operator);
  const raw = operand[operator];
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length === 0) throw invalidPattern(`anything-but ${operator} list must not be empty`, innerPath);
  const tests = values.map((value) => nestedTest(operator, value, innerPath));
  return (value) => typeof value !== "string" || !tests.some((test) => test(value));
}

function nestedTest(operator: NestedOperator, value: unknown, path: string): ScalarTest {
  if (typeof value !== "string") {
    throw invalidPattern(
      `anything-but ${operator} values must be strings, got ${describeValue(value)}`,
      path,
    );
  }
  if ((operator === "prefix" || operator === "suffix") && value === "") {
    throw invalidPattern(
      `Null prefix/suffix not allowed: anything-but ${operator} needs a non-empty string`,
      path,
    );
  }
  return operator === "wildcard" ? compileWildcardTest(value, path) : stringTest(operator, value);
}
