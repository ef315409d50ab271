import type { Writable } from "node:stream";

/**
 * Ends the process quietly, with exit code 0, when the reader of a stream goes away
 * (`shipline events | head`): an `EPIPE` on the stream is the reader saying it has read enough, not
 * a failure. Any other error of the stream is rethrown.
 *
 * @example
 * ```ts
 * endQuietlyOnClosedPipe(process.stdout, (code) => process.exit(code));
 * ```
 */
export function endQuietlyOnClosedPipe(stream: Writable, exit: (code: number) => void): void {
  stream.on("error", (error: unknown) => {
    if (error instanceof Error && "code" in error && error.code === "EPIPE") {
      exit(0);
      return;
    }
    throw error;
  });
}
