import * as z from "zod";
import { say } from "./say.js";

const UNITS = [
  ["d", 86_400],
  ["h", 3_600],
  ["m", 60],
  ["s", 1],
] as const;

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Parses a duration such as `30s`, `10m`, `1h30m` or `2d` into whole seconds. Units go from the
 * largest to the smallest, each at most once. Returns `undefined` for anything else, including a
 * bare number (whose unit a reader could not tell).
 *
 * @example
 * ```ts
 * parseDuration("1h30m"); // 5400
 * parseDuration("90");    // undefined
 * ```
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === "") return undefined;
  let seconds = 0;
  for (const [index, [, size]] of UNITS.entries()) {
    const part = match[index + 1];
    if (part !== undefined) seconds += Number(part) * size;
  }
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/**
 * Writes seconds the way {@link parseDuration} reads them, largest units first: 5400 -> `1h30m`.
 *
 * @example
 * ```ts
 * formatDuration(5400); // "1h30m"
 * formatDuration(0);    // "0s"
 * ```
 */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.floor(seconds));
  let out = "";
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) out += `${count}${unit}`;
    rest -= count * size;
  }
  return out === "" ? "0s" : out;
}

/** Bounds of a duration key, in seconds. */
export interface DurationBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * A zod schema for a duration key: reads a string such as `10m` and outputs whole seconds within
 * `bounds`, with messages that show the bad value and the accepted form.
 *
 * @example
 * ```ts
 * const soak = durationSeconds({ min: 0, max: 7 * 86_400 });
 * soak.parse("10m"); // 600
 * ```
 */
export function durationSeconds(bounds: DurationBounds) {
  const range = `between ${formatDuration(bounds.min)} and ${formatDuration(bounds.max)}`;
  return z.string({ error: (issue) => durationTypeMessage(issue.input) }).transform((text, ctx) => {
    const seconds = parseDuration(text);
    if (seconds === undefined) {
      ctx.addIssue({
        code: "custom",
        message: say(
          `'${text}' is not a duration`,
          "write a number with a unit, such as 30s, 10m, 1h or 1h30m",
        ),
      });
      return z.NEVER;
    }
    if (seconds < bounds.min || seconds > bounds.max) {
      ctx.addIssue({ code: "custom", message: say(`'${text}' is out of range`, `use a duration ${range}`) });
      return z.NEVER;
    }
    return seconds;
  });
}

function durationTypeMessage(input: unknown): string {
  if (input === undefined) return say("is missing", "add a duration such as 30s, 10m or 1h");
  if (typeof input === "number") {
    return say(`${input} has no unit`, `write it with a unit, such as ${input}s or ${input}m`);
  }
  return say("is not a duration", "write a duration such as 30s, 10m or 1h");
}
