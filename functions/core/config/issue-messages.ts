import type * as z from "zod";
import { formatPath } from "../contracts/format-issues.js";
import { isRecord, show } from "./fields.js";
import { didYouMean, say, unsay } from "./say.js";

/** A problem found by a schema or a cross-field check, before it is located in the file. */
export interface PathProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly fix: string;
}

/**
 * Turns zod issues into {@link PathProblem}s that say what is wrong and how to fix it. `error` is
 * passed to `safeParse` as the fallback message map; it also remembers, for each unknown key, the
 * keys its mapping does accept, so that `toProblems` can suggest the likely intended one.
 *
 * @example
 * ```ts
 * const messages = configIssueMessages();
 * const result = shiplineConfig.safeParse(input, { error: messages.error });
 * if (!result.success) problems.push(...messages.toProblems(result.error.issues));
 * ```
 */
export function configIssueMessages(): {
  error: (issue: z.core.$ZodRawIssue) => string;
  toProblems: (issues: readonly z.core.$ZodIssue[]) => PathProblem[];
} {
  const knownKeys = new Map<string, readonly string[]>();
  return {
    error: (issue) => {
      if (
        issue.code === "unrecognized_keys" &&
        issue.inst &&
        "shape" in issue.inst &&
        isRecord(issue.inst.shape)
      ) {
        knownKeys.set(formatPath(toSegments(issue.path ?? [])), Object.keys(issue.inst.shape));
      }
      return fallbackMessage(issue);
    },
    toProblems: (issues) =>
      issues.flatMap((issue) => {
        const path = toSegments(issue.path);
        if (issue.code === "unrecognized_keys") {
          const known = knownKeys.get(formatPath(path)) ?? [];
          return issue.keys.map((key) => unknownKey([...path, key], key, known));
        }
        const { message, fix } = unsay(
          issue.message,
          "see the example shipline.config.yaml for the expected form",
        );
        return [{ path, message, fix }];
      }),
  };
}

function unknownKey(path: (string | number)[], key: string, known: readonly string[]): PathProblem {
  const guess = didYouMean(key, known);
  const fix = guess
    ? `did you mean '${guess}'? Rename it`
    : known.length > 0
      ? `remove it; the keys here are ${known.join(", ")}`
      : "remove it";
  return { path, message: `'${key}' is not a known key`, fix };
}

function fallbackMessage(issue: z.core.$ZodRawIssue): string {
  const key = String(issue.path?.at(-1) ?? "it");
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return say("is missing", `add ${key}: (${describe(issue.expected)})`);
      return say(
        `${show(issue.input)} is not ${describe(issue.expected)}`,
        `write ${describe(issue.expected)}`,
      );
    case "invalid_value":
      return say(
        `${show(issue.input)} is not allowed`,
        `use ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}`,
      );
    case "too_small":
      if (issue.origin === "array") return say("is an empty list", "add at least one item");
      if (issue.origin === "string") return say("is empty", "give it a value");
      return say(`is below ${String(issue.minimum)}`, `use at least ${String(issue.minimum)}`);
    case "too_big":
      return say(`is above ${String(issue.maximum)}`, `use at most ${String(issue.maximum)}`);
    case "unrecognized_keys":
      return say("has unknown keys", "remove them");
    default:
      return say(
        `${show(issue.input)} is not valid here`,
        "see the example shipline.config.yaml for the expected form",
      );
  }
}

function describe(expected: string): string {
  switch (expected) {
    case "object":
      return "a mapping (key: value lines)";
    case "array":
      return "a list (- item lines)";
    case "string":
      return "text";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    default:
      return expected;
  }
}

function toSegments(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
}
