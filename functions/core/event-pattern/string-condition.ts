import { invalidPattern, joinPath } from "./invalid-pattern.js";
import { describeValue, isJsonObject, type ScalarTest } from "./json-value.js";
import { compileWildcard } from "./wildcard.js";

/** How one string condition compares: the operators that only strings can pass. */
export type StringOperator =
  | "prefix"
  | "suffix"
  | "equals-ignore-case"
  | "wildcard"
  | "prefix-ignore-case"
  | "suffix-ignore-case";

/**
 * Builds a case-sensitive or case-insensitive string test. Numbers, booleans and null never pass.
 *
 * @example
 * ```ts
 * stringTest("prefix", "us-")("us-east-1"); // true
 * ```
 */
export function stringTest(operator: Exclude<StringOperator, "wildcard">, operand: string): ScalarTest {
  const lower = operand.toLowerCase();
  switch (operator) {
    case "prefix":
      return (value) => typeof value === "string" && value.startsWith(operand);
    case "suffix":
      return (value) => typeof value === "string" && value.endsWith(operand);
    case "equals-ignore-case":
      return (value) => typeof value === "string" && value.toLowerCase() === lower;
    case "prefix-ignore-case":
      return (value) => typeof value === "string" && value.toLowerCase().startsWith(lower);
    case "suffix-ignore-case":
      return (value) => typeof value === "string" && value.toLowerCase().endsWith(lower);
  }
}

/**
 * Compiles the operand of `prefix` / `suffix`: a string, or `{ "equals-ignore-case": string }` for
 * the case-insensitive form.
 *
 * @example
 * ```ts
 * compileAffix("prefix", { "equals-ignore-case": "EventB" }, "detail.service");
 * ```
 */
export function compileAffix(operator: "prefix" | "suffix", operand: unknown, path: string): ScalarTest {
  if (typeof operand === "string") return stringTest(operator, operand);
  if (isJsonObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== "equals-ignore-case") {
      throw invalidPattern(
        `Unsupported ${operator} pattern: ${describeValue(operand)}; only {"equals-ignore-case": "..."} may be nested in ${operator}`,
        path,
      );
    }
    const inner = operand["equals-ignore-case"];
    if (typeof inner !== "string") {
      throw invalidPattern("equals-ignore-case match pattern must be a string", joinPath(path, operator));
    }
    return stringTest(operator === "prefix" ? "prefix-ignore-case" : "suffix-ignore-case", inner);
  }
  throw invalidPattern(`${operator} match pattern must be a string, got ${describeValue(operand)}`, path);
}

/**
 * Compiles a `wildcard` operand, rejecting `**`, unknown escapes and non-strings.
 *
 * @example
 * ```ts
 * compileWildcardTest("*.png", "detail.file")("logo.png"); // true
 * ```
 */
export function compileWildcardTest(operand: unknown, path: string): ScalarTest {
  if (typeof operand !== "string") {
    throw invalidPattern(`wildcard match pattern must be a string, got ${describeValue(operand)}`, path);
  }
  const regex = compileWildcard(operand);
  if (typeof regex === "string") throw invalidPattern(regex, path);
  return (value) => typeof value === "string" && regex.test(value);
}
