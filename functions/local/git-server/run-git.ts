import { spawn } from "node:child_process";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** Options for {@link runGit}. */
export interface RunGitOptions {
  /** Arguments after `git`. */
  readonly args: readonly string[];
  /** The repository (`--git-dir`); omit for commands that take a path themselves. */
  readonly gitDir?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 of `merge-base --is-ancestor`). @default [0] */
  readonly okExitCodes?: readonly number[];
}

/** What {@link runGit} returns. */
export interface GitResult {
  readonly stdout: string;
  readonly exitCode: number;
}

const MAX_STDERR_CHARS = 2000;

/**
 * Runs the git CLI without a shell and collects its output. An exit code outside `okExitCodes`
 * fails with `GIT_COMMAND_FAILED`, carrying git's own error text.
 *
 * @example
 * ```ts
 * const { stdout } = await runGit({ gitDir, args: ["rev-parse", "HEAD"] });
 * ```
 */
export function runGit(options: RunGitOptions): Promise<GitResult> {
  const args = [...(options.gitDir === undefined ? [] : [`--git-dir=${options.gitDir}`]), ...options.args];
  const okExitCodes = options.okExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
    });
    const stdout: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR_CHARS) stderr += chunk.toString("utf8");
    });
    child.once("error", (error) =>
      reject(
        new ShiplineError({
          code: "GIT_NOT_FOUND",
          message: "the git CLI could not be started; install git and make sure it is on PATH",
          cause: error,
        }),
      ),
    );
    child.once("close", (code) => {
      const exitCode = code ?? -1;
      if (okExitCodes.includes(exitCode)) {
        resolve({ stdout: Buffer.concat(stdout).toString("utf8"), exitCode });
        return;
      }
      reject(
        new ShiplineError({
          code: "GIT_COMMAND_FAILED",
          message: `git ${options.args[0] ?? ""} failed with exit code ${exitCode}: ${stderr.trim().slice(0, MAX_STDERR_CHARS)}`,
          data: { args: options.args, exitCode },
        }),
      );
    });
  });
}
