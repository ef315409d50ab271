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
  /** The time commands judge by (a journey past its step's deadline is stuck). @default - the system clock */
  readonly now?: () => Date;
  /**
   * Sends whatever the process prints behind the command's back (library log lines, runtime
   * warnings) to a log file, and returns the streams that still reach the terminal. Only the real
   * process offers it; a test's captured streams need no diverting.
   */
  readonly divertStrayOutput?: (logFile: string) => Promise<DivertedOutput>;
}

/** The terminal's streams while stray output goes to a log file (see {@link CommandIo.divertStrayOutput}). */
export interface DivertedOutput {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Puts the process's streams and warnings back and closes the log file. */
  restore(): Promise<void>;
}

/** One flag of a command, as its help lists it. */
export interface CommandOption {
  /** The flag and its value, e.g. `--app APP` or `-o, --output FORMAT`. */
  readonly flag: string;
  /** What it does, in one line. */
  readonly text: string;
}

/**
 * One `shipline` sub-command. `run` returns the process exit code: 0 success, 1 failure,
 * 2 bad usage or input, 3 not found.
 *
 * @example
 * ```ts
 * export const versionCommand: Command = {
 *   name: "version",
 *   summary: "Print the version",
 *   usage: "shipline version",
 *   options: [],
 *   run: async (_args, io) => { io.stdout.write("0.1.0\n"); return 0; },
 * };
 * ```
 */
export interface Command {
  readonly name: string;
  /** One line, as `shipline help` lists it. */
  readonly summary: string;
  /** The usage line, printed with every usage error. */
  readonly usage: string;
  /** Every flag it takes (`-h, --help` is added by the help itself). */
  readonly options: readonly CommandOption[];
  /** More lines for `shipline <command> --help`: exit codes, examples. */
  readonly details?: string;
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** Something the command names is not there (an app, an environment, an image): exit code 3. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** Options of {@link UsageError}. */
export interface UsageErrorOptions {
  /** The fix is in the command's help (an unknown flag): the message then points to `--help`. */
  readonly seeHelp?: boolean;
}

/** An error for bad command-line usage: printed with the usage line, exit code 2. */
export class UsageError extends Error {
  /** Whether the message should point to the command's `--help`. */
  readonly seeHelp: boolean;

  constructor(message: string, options: UsageErrorOptions = {}) {
    super(message);
    this.name = "UsageError";
    this.seeHelp = options.seeHelp ?? false;
  }
}
