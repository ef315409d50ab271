import type { Writable } from "node:stream";

/** Where a command writes and what it reads from its surroundings. */
export interface CommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Standard input, for commands that read it (the git credential helper). @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT / SIGTERM, for long-running commands. */
  readonly signal: AbortSignal;
}

/**
 * One `shipline` sub-command. `run` returns the process exit code: 0 success, 1 failure,
 * 2 bad usage or input.
 *
 * @example
 * ```ts
 * export const versionCommand: Command = {
 *   name: "version",
 *   summary: "Print the version",
 *   usage: "shipline version",
 *   run: async (_args, io) => { io.stdout.write("0.1.0\n"); return 0; },
 * };
 * ```
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** Something the command names is not there (an app, an environment, an image): exit code 3. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** An error for bad command-line usage: printed with the usage line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
