import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { Writable } from "node:stream";
import type { DivertedOutput } from "./command.js";

type WriteCallback = (error?: Error | null) => void;

/** A stream that writes to the terminal through the process stream's own `write`, whatever replaced it. */
class TerminalStream extends Writable {
  /** Whether the terminal behind it is a TTY (for colour). */
  readonly isTTY: boolean;

  constructor(isTTY: boolean, write: (chunk: Buffer, done: WriteCallback) => void) {
    super({ write: (chunk: Buffer, _encoding, done) => write(chunk, done) });
    this.isTTY = isTTY;
  }
}

/**
 * Sends what the process writes to stdout and stderr behind the caller's back (the JSON lines of
 * Powertools loggers, EMF metrics, `console` calls of libraries) and every process warning (such as
 * the AWS SDK's `NodeVersionSupportWarning`) to the end of a log file, and returns streams that
 * still reach the terminal, for the output meant for people. `restore` puts everything back.
 *
 * @example
 * ```ts
 * const diverted = await divertStrayOutput(".shipline/shipline.log");
 * try { diverted.stdout.write("only this reaches the terminal\n"); } finally { await diverted.restore(); }
 * ```
 */
export async function divertStrayOutput(logFile: string): Promise<DivertedOutput> {
  await mkdir(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: "a" });
  const { stdout, stderr } = process;
  const stdoutWrite = stdout.write;
  const stderrWrite = stderr.write;
  const warningListeners = process.listeners("warning");
  const onWarning = (warning: Error) => {
    log.write(`${new Date().toISOString()} ${warning.name}: ${warning.message}\n`);
  };
  stdout.write = writeTo(log);
  stderr.write = writeTo(log);
  process.removeAllListeners("warning");
  process.on("warning", onWarning);
  return {
    stdout: new TerminalStream(stdout.isTTY === true, (chunk, done) =>
      stdoutWrite.call(stdout, chunk, undefined, done),
    ),
    stderr: new TerminalStream(stderr.isTTY === true, (chunk, done) =>
      stderrWrite.call(stderr, chunk, undefined, done),
    ),
    async restore() {
      stdout.write = stdoutWrite;
      stderr.write = stderrWrite;
      process.off("warning", onWarning);
      for (const listener of warningListeners) process.on("warning", listener);
      await new Promise<void>((done) => log.end(done));
    },
  };
}

function writeTo(log: WriteStream): typeof process.stdout.write {
  return (
    chunk: Uint8Array | string,
    encodingOrCallback?: BufferEncoding | WriteCallback,
    callback?: WriteCallback,
  ): boolean => {
    const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
    const encoding = typeof encodingOrCallback === "string" ? encodingOrCallback : undefined;
    if (typeof chunk === "string" && encoding !== undefined) log.write(chunk, encoding, done);
    else log.write(chunk, done);
    return true;
  };
}
