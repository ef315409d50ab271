import type { EventPattern } from "../../../../functions/core/topology/rule-definition.js";
import { readFixture } from "../../../read-fixture.js";

/** Reads one JSON event from `test/fixtures`, e.g. `readEvent("aws/ecr-image-action.push.json")`. */
export function readEvent(relativePath: string): Record<string, unknown> {
  const parsed = readFixture(relativePath);
  if (!isObject(parsed)) throw new Error(`${relativePath} is not a JSON object`);
  return parsed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Matches an event against a pattern made only of exact-value lists, `wildcard` filters and nested
 * objects, the only forms the topology uses. Any other content filter (prefix, anything-but, ...)
 * throws, so a pattern that grows an operator is noticed here instead of being matched wrongly.
 */
export function matchesPlainPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected)) {
      const tests = expected.map((value) => valueTest(key, value));
      const values: unknown[] = Array.isArray(actual) ? actual : [actual];
      return values.some((value) => tests.some((test) => test(value)));
    }
    if (isObject(expected)) return matchesPlainPattern(expected, actual);
    throw new Error(`pattern value at '${key}' must be a list or an object`);
  });
}

function valueTest(key: string, expected: unknown): (value: unknown) => boolean {
  if (typeof expected !== "object" || expected === null) return (value) => value === expected;
  const entries = Object.entries(expected);
  const [entry] = entries;
  if (entries.length === 1 && entry?.[0] === "wildcard" && typeof entry[1] === "string") {
    const parts = entry[1].split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    const glob = new RegExp(`^${parts.join(".*")}$`, "s");
    return (value) => typeof value === "string" && glob.test(value);
  }
  throw new Error(`content filter at '${key}' is not supported by this test matcher`);
}

/** Returns a deep copy of an event with `detail[field]` set to `value`. */
export function withDetail(
  event: Record<string, unknown>,
  field: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(event);
  const detail = copy.detail;
  if (!isObject(detail)) throw new Error("the event has no detail object");
  detail[field] = value;
  return copy;
}
