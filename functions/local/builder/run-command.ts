import { type ChildProcess, spawn } from "node:child_process";

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** The executable; with `shell` true, the command line given to `/bin/sh -c`. */
  readonly command: string;
  /** Arguments, when not run through the shell. */
  readonly args?: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Receives the command's output (stdout and stderr as they come), e.g. the build log. */
  readonly output: (chunk: Uint8Array) => void;
  /** Kill the command after this long. @default 3600000 (CodeBuild's default timeout: one hour) */
  readonly timeoutMs?: number;
  /** Told of the child, so that a stopping builder can end it. */
  readonly track?: (child: ChildProcess) => () => void;
  /** Extra environment not shown in the log (a token for a credential helper). */
  readonly secretEnv?: Readonly<Record<string, string>>;
}

/** How a command ended. */
export interface CommandResult {
  readonly exitCode: number;
  /** Set when the command did not exit by itself (timeout, signal, not found). */
  readonly reason?: string;
}

/**
 * Runs one build command with its output appended to the build log, as CodeBuild runs a buildspec
 * command: in `/bin/sh` unless arguments are given, with exactly the given environment.
 *
 * @example
 * ```ts
 * const { exitCode } = await runCommand({ command: "npm test", cwd: sourceDir, env, output: (chunk) => log.output(chunk) });
 * ```
 */
export function runCommand(options: RunCommandOptions): Promise<CommandResult> {
  const { output } = options;
  return new Promise((resolve) => {
    const child = options.args
      ? spawn(options.command, [...options.args], {
          cwd: options.cwd,
          env: { ...options.env, ...options.secretEnv },
          stdio: ["ignore", "pipe", "pipe"],
          // Its own process group, so that ending it ends what it started too (see killGroup).
          detached: true,
        })
      : spawn("/bin/sh", ["-c", options.command], {
          cwd: options.cwd,
          env: { ...options.env, ...options.secretEnv },
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        });
    const untrack = options.track?.(child) ?? (() => undefined);
    let reason: string | undefined;
    const timer = setTimeout(() => {
      reason = `timed out after ${options.timeoutMs ?? 3_600_000} ms`;
      killGroup(child, "SIGKILL");
    }, options.timeoutMs ?? 3_600_000);
    child.stdout?.on("data", (chunk: Buffer) => output(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output(chunk));
    child.once("error", (error) => {
      reason = error.message;
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      untrack();
      const exitCode = code ?? 1;
      const ended = reason ?? (signal === null ? undefined : `killed by ${signal}`);
      resolve({
        exitCode: ended !== undefined && exitCode === 0 ? 1 : exitCode,
        ...(ended === undefined ? {} : { reason: ended }),
      });
    });
  });
}

/**
 * Sends a signal to a command and everything it started (its process group, as `runCommand` starts
 * each command in one of its own), so that a shell's children end with it.
 *
 * @example
 * ```ts
 * killGroup(child, "SIGTERM");
 * ```
 */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) {
      process.kill(-child.pid, signal);
      return;
    }
  } catch {
    // The group is gone already, or was never one: signal the process itself.
  }
  child.kill(signal);
}
