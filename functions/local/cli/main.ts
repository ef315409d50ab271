import type { Command, CommandIo } from "./command.js";
import { NotFoundError, UsageError } from "./command.js";
import { COMMANDS } from "./command-list.js";

/**
 * Entry point of the `shipline` CLI: dispatches to a sub-command and returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(helpText(COMMANDS));
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`shipline: unknown command '${name}'. Run 'shipline help' for the list.\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`shipline ${command.name}: ${error.message}\nusage: ${command.usage}\n`);
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

function helpText(commands: readonly Command[]): string {
  const width = Math.max(0, ...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `usage: shipline <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

function processIo(): CommandIo {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  };
}
