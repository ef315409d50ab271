import type { Command, CommandOption } from "./command.js";
import type { CommandEntry } from "./command-list.js";

const HELP_OPTION: CommandOption = { flag: "-h, --help", text: "show this help" };

/**
 * `shipline --help`: the usage, every command with its summary, and where to read more.
 *
 * @example
 * ```ts
 * io.stdout.write(overviewHelp(COMMANDS));
 * ```
 */
export function overviewHelp(commands: readonly CommandEntry[]): string {
  const width = Math.max(0, ...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    "usage: shipline <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "flags:",
    "  -h, --help  show this help; 'shipline <command> --help' or 'shipline help <command>' shows a command's",
    "  --version   print Shipline's version",
    "",
    "Exit codes: 0 done, 1 failed, 2 bad usage, 3 not found.",
    "",
  ].join("\n");
}

/**
 * `shipline <command> --help`: the usage line, the summary, every flag and the command's details.
 *
 * @example
 * ```ts
 * io.stdout.write(commandHelp(await entry.load()));
 * ```
 */
export function commandHelp(command: Command): string {
  const options = [...command.options, HELP_OPTION];
  const width = Math.max(...options.map((option) => option.flag.length));
  return [
    `usage: ${command.usage}`,
    "",
    command.summary,
    "",
    "options:",
    ...options.map((option) => `  ${option.flag.padEnd(width)}  ${option.text}`),
    ...(command.details === undefined ? [] : ["", command.details.trimEnd()]),
    "",
  ].join("\n");
}
