import { endQuietlyOnClosedPipe } from "./closed-pipe.js";
import { closestName } from "./closest-name.js";
import type { Command, CommandIo } from "./command.js";
import { NotFoundError, UsageError } from "./command.js";
import { commandHelp, overviewHelp } from "./command-help.js";
import { COMMANDS, type CommandEntry } from "./command-list.js";
import { quietSdkNodeVersionWarning } from "./process-warnings.js";
import { shiplinePackage } from "./shipline-package.js";
import { divertStrayOutput } from "./stray-output.js";

const HELP_FLAGS: ReadonlySet<string> = new Set(["-h", "--help"]);

/**
 * Entry point of the `shipline` CLI: dispatches to a sub-command and returns the exit code. Every
 * command answers `-h` / `--help` (also `shipline help <command>`); `--version` prints the version.
 * Bad usage is one line saying what was wrong and how to fix it, then the usage line, exit 2.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(overviewHelp(COMMANDS));
    return 2;
  }
  if (HELP_FLAGS.has(name) || name === "help") return help(rest[0], io);
  if (name === "--version" || name === "version") {
    io.stdout.write(`shipline ${shiplinePackage().version}\n`);
    return 0;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (entry === undefined) {
    const near = closestName(
      name,
      COMMANDS.map((command) => command.name),
    );
    const what = name.startsWith("-") ? `unknown flag '${name}'` : `unknown command '${name}'`;
    io.stderr.write(
      `shipline: ${what}${near === undefined ? "." : `; did you mean '${near}'?`} Run 'shipline --help' for the commands.\n`,
    );
    return 2;
  }
  const command = await entry.load();
  if (asksForHelp(rest)) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  return runCommand(command, rest, io);
}

async function help(topic: string | undefined, io: CommandIo): Promise<number> {
  if (topic === undefined) {
    io.stdout.write(overviewHelp(COMMANDS));
    return 0;
  }
  const entry: CommandEntry | undefined = COMMANDS.find((candidate) => candidate.name === topic);
  if (entry === undefined) {
    const near = closestName(
      topic,
      COMMANDS.map((command) => command.name),
    );
    io.stderr.write(
      `shipline help: no command is named '${topic}'${near === undefined ? "." : `; did you mean '${near}'?`} Run 'shipline --help' for the commands.\n`,
    );
    return 2;
  }
  io.stdout.write(commandHelp(await entry.load()));
  return 0;
}

/** `-h` or `--help` among the arguments, before a `--` that ends the flags. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => HELP_FLAGS.has(arg));
}

async function runCommand(command: Command, args: readonly string[], io: CommandIo): Promise<number> {
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = error.seeHelp ? `; run 'shipline ${command.name} --help' for its flags` : "";
      io.stderr.write(`shipline ${command.name}: ${error.message}${hint}\nusage: ${command.usage}\n`);
      return 2;
    }
    if (error instanceof NotFoundError) {
      io.stderr.write(`shipline ${command.name}: ${error.message}\n`);
      return 3;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`shipline ${command.name}: ${message}\n`);
    return 1;
  }
}

function processIo(): CommandIo {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  endQuietlyOnClosedPipe(process.stdout, (code) => process.exit(code));
  quietSdkNodeVersionWarning(process);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    divertStrayOutput,
  };
}
