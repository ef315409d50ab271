import { PassThrough } from "node:stream";
import type { CommandIo } from "../../../../functions/local/cli/command.js";

/** Captured output of one CLI run. */
export interface CapturedIo {
  readonly io: CommandIo;
  stdout(): string;
  stderr(): string;
}

/** Builds a CommandIo whose streams are captured, for calling `main([...], io)` in tests. */
export function captureIo(cwd: string, env: NodeJS.ProcessEnv = {}): CapturedIo {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  return {
    io: { stdout, stderr, env, cwd, signal: new AbortController().signal },
    stdout: () => Buffer.concat(out).toString("utf8"),
    stderr: () => Buffer.concat(err).toString("utf8"),
  };
}
