import { createWriteStream, type WriteStream } from "node:fs";
import type { Clock } from "../../core/ports/clock.js";

/**
 * A build's log file, written as CodeBuild writes its log stream: `[Container] <time> <message>`
 * lines from the builder, and every command's output as it comes. The file is appended to, so it can
 * be followed while the build runs.
 *
 * @example
 * ```ts
 * const log = new BuildLog(file, clock);
 * log.line("Entering phase PRE_BUILD");
 * await log.close();
 * ```
 */
export class BuildLog {
  readonly #stream: WriteStream;
  readonly #clock: Clock;

  constructor(
    readonly file: string,
    clock: Clock,
  ) {
    this.#stream = createWriteStream(file, { flags: "a" });
    this.#clock = clock;
  }

  /** Writes one builder line, stamped like CodeBuild's `[Container] 2026/03/01 12:00:00.000 ...`. */
  line(message: string): void {
    const time = this.#clock.now().toISOString();
    const stamp = `${time.slice(0, 10).replaceAll("-", "/")} ${time.slice(11, 23)}`;
    this.#stream.write(`[Container] ${stamp} ${message}\n`);
  }

  /** Writes raw command output. */
  output(chunk: Uint8Array | string): void {
    this.#stream.write(chunk);
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#stream.once("error", reject);
      this.#stream.end(() => resolve());
    });
  }
}
