import * as z from "zod";
import { didYouMean, say } from "./say.js";

/**
 * A required, non-empty string whose messages say what to write, e.g. `text("the author's name, e.g. Shipline")`.
 *
 * @example
 * ```ts
 * const reason = text("why the finding is accepted");
 * ```
 */
export function text(example: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? say("is missing", `add ${example}`)
          : say(`${show(issue.input)} is not text`, `write ${example}`),
    })
    .min(1, { error: say("is empty", `write ${example}`) });
}

/**
 * A `true` / `false` key with a default, refusing YAML 1.1 spellings such as `yes`.
 *
 * @example
 * ```ts
 * const autoRollback = flag(false);
 * ```
 */
export function flag(fallback: boolean) {
  return z
    .boolean({ error: (issue) => say(`${show(issue.input)} is not true or false`, "write true or false") })
    .default(fallback);
}

/**
 * One of a fixed list of values, with a suggestion when the value looks like a typo of one.
 *
 * @example
 * ```ts
 * const approval = choice(["auto", "pull-request", "manual"]);
 * ```
 */
export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  const list = values.join(", ");
  return z.enum(values, {
    error: (issue) => {
      if (issue.input === undefined) return say("is missing", `add one of ${list}`);
      const guess = typeof issue.input === "string" ? didYouMean(issue.input, values) : undefined;
      return say(
        `${show(issue.input)} is not allowed`,
        guess ? `did you mean '${guess}'? (one of ${list})` : `use one of ${list}`,
      );
    },
  });
}

/**
 * A lower-case DNS-label name (app, environment, cluster), as the event contracts expect.
 *
 * @example
 * ```ts
 * const appName = dnsName("the app's name, e.g. shop-api");
 * ```
 */
export function dnsName(example: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? say("is missing", `add ${example}`)
          : say(`${show(issue.input)} is not text`, `write ${example}`),
    })
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: (issue) =>
        say(
          `${show(issue.input)} is not a valid name`,
          "use lower-case letters, digits and '-' (at most 63, not starting or ending with '-')",
        ),
    });
}

/**
 * A list of strings that may also be written as one string: `test: npm test` or `test: [npm ci, npm test]`.
 *
 * @example
 * ```ts
 * commands().parse("npm test"); // ["npm test"]
 * ```
 */
export function commands() {
  const command = z
    .string({ error: (issue) => say(`${show(issue.input)} is not a command`, "write the command as text") })
    .min(1, { error: say("is an empty command", "remove it or write the command") });
  const list = z.array(command, {
    error: (issue) =>
      say(`${show(issue.input)} is not a command`, "write one command, or a list of commands"),
  });
  return z.preprocess((value) => (typeof value === "string" ? [value] : value), list).default([]);
}

/**
 * Renders a value from the file for a message: strings quoted, objects named by kind.
 *
 * @example
 * ```ts
 * show("yes"); // "'yes'"
 * ```
 */
export function show(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/**
 * The error map of a union chosen by `key` (`provider`, `kind`, `from`): names a missing or unknown
 * discriminator (with a typo suggestion) and a value that is not a mapping at all.
 *
 * @example
 * ```ts
 * z.discriminatedUnion("kind", [helm, kustomize], { error: variantError("kind", ["helm", "kustomize"], "kind: helm") });
 * ```
 */
export function variantError(key: string, values: readonly string[], example: string) {
  const list = values.join(", ");
  return (issue: { readonly code?: string; readonly input?: unknown }): string => {
    if (issue.code !== "invalid_union") {
      return say(
        issue.input === undefined ? "is missing" : `${show(issue.input)} is not a mapping`,
        `write ${example}`,
      );
    }
    const value = isRecord(issue.input) ? issue.input[key] : undefined;
    if (value === undefined) return say("is missing", `add ${key}: with one of ${list}`);
    const guess = typeof value === "string" ? didYouMean(value, values) : undefined;
    return say(
      `${show(value)} is not allowed`,
      guess ? `did you mean '${guess}'? (one of ${list})` : `use one of ${list}`,
    );
  };
}

/**
 * Tells whether a value read from YAML is a mapping.
 *
 * @example
 * ```ts
 * isRecord({ a: 1 }); // true
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
