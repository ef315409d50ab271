import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ParseArgsConfig } from "node:util";
import { UsageError } from "../cli/command.js";
import { parseCommandArgs } from "../cli/parse-command-args.js";

/**
 * Parses flags with `node:util` `parseArgs` (no positionals), turning its errors into a
 * {@link UsageError} that says what was wrong, so that the CLI prints it with the usage and exits 2.
 *
 * @example
 * ```ts
 * const { values } = parseFlags(args, { json: { type: "boolean" } });
 * ```
 */
export function parseFlags<const T extends NonNullable<ParseArgsConfig["options"]>>(
  args: readonly string[],
  options: T,
) {
  return parseCommandArgs(args, options);
}

/**
 * Reads a JSON argument given inline or, as the AWS CLI allows, as `file://path` (relative to
 * `cwd`). Throws a {@link UsageError} naming the flag when the file cannot be read or the text is
 * not JSON.
 *
 * @example
 * ```ts
 * const pattern = await readJsonArgument("--event-pattern", "file://pattern.json", io.cwd);
 * ```
 */
export async function readJsonArgument(flag: string, value: string, cwd: string): Promise<unknown> {
  let text = value;
  if (value.startsWith("file://")) {
    const path = resolve(cwd, value.slice("file://".length));
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UsageError(`${flag}: cannot read ${path}: ${reason}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${flag} is not valid JSON (${reason}); pass JSON text or file://path`);
  }
}

/**
 * Returns a required string flag or throws a {@link UsageError} naming it.
 *
 * @example
 * ```ts
 * const entries = requireFlag(values.entries, "--entries");
 * ```
 */
export function requireFlag(
  value: string | boolean | (string | boolean)[] | undefined,
  flag: string,
): string {
  if (typeof value !== "string" || value === "") throw new UsageError(`${flag} is required`);
  return value;
}
