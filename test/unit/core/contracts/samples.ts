import { expect } from "vitest";
import type * as z from "zod";
import { formatIssues } from "../../../../functions/core/contracts/format-issues.js";

export { readFixture } from "../../../read-fixture.js";

/** A path into a JSON value: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

/** What to do at a path: remove the field, or set it to another value. */
export type Change = { readonly remove: true } | { readonly set: unknown };

/**
 * Returns a deep copy of `value` with one field removed or replaced; the original is untouched.
 * Throws when the path does not lead to an existing container, so a mutation cannot silently miss.
 */
export function withChange(value: unknown, at: JsonPath, change: Change): unknown {
  const copy = structuredClone(value);
  const last = at.at(-1);
  if (last === undefined) throw new Error("withChange needs a non-empty path");
  let node: unknown = copy;
  for (const key of at.slice(0, -1)) {
    if (typeof node !== "object" || node === null) throw new Error(`no object at ${at.join(".")}`);
    node = Reflect.get(node, key);
  }
  if (typeof node !== "object" || node === null) throw new Error(`no object at ${at.join(".")}`);
  if ("remove" in change) {
    if (!Reflect.has(node, last)) throw new Error(`no field to remove at ${at.join(".")}`);
    Reflect.deleteProperty(node, last);
  } else {
    Reflect.set(node, last, change.set);
  }
  return copy;
}

/**
 * Parses `value` and returns the problems as `formatIssues` renders them (`path: message`); an
 * empty list when it parses.
 */
export function issuesOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : formatIssues(result.error.issues);
}

/** Matches a rendered problem line about the field at `fieldPath` (e.g. `detail.commits[0].id`). */
export function naming(fieldPath: string) {
  const escaped = fieldPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return expect.stringMatching(new RegExp(`^${escaped}: `));
}
