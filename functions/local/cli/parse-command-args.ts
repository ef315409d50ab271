import { type ParseArgsConfig, parseArgs } from "node:util";
import { closestName } from "./closest-name.js";
import { UsageError } from "./command.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses a command's arguments with `node:util` `parseArgs`, answering every mistake with a
 * {@link UsageError} that says what was wrong and how to fix it: an unknown flag (with the closest
 * known one, and a pointer to `--help`), a flag without its value, a value given to a switch, or an
 * argument a command without positionals does not take.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCommandArgs(args, { app: { type: "string" } }, { positionals: true });
 * ```
 */
export function parseCommandArgs<const T extends Options>(
  args: readonly string[],
  options: T,
  config: { readonly positionals?: boolean } = {},
) {
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "positional" && config.positionals !== true) {
      throw new UsageError(`unexpected argument '${token.value}': this command takes flags only`, {
        seeHelp: true,
      });
    }
    if (token.kind !== "option") continue;
    const option = options[token.name];
    if (option === undefined) {
      const known = Object.keys(options).map((name) => `--${name}`);
      const near = closestName(token.rawName, known);
      throw new UsageError(
        `unknown flag '${token.rawName}'${near === undefined ? "" : `; did you mean ${near}?`}`,
        {
          seeHelp: near === undefined,
        },
      );
    }
    const missing = token.value === undefined || (!token.inlineValue && token.value.startsWith("-"));
    if (option.type === "string" && missing) {
      throw new UsageError(`${token.rawName} needs a value: write ${token.rawName} <value>`);
    }
    if (option.type === "boolean" && token.inlineValue) {
      throw new UsageError(`${token.rawName} is a switch and takes no value: write ${token.rawName} alone`);
    }
  }
  try {
    return parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: config.positionals === true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
