import { open, stat } from "node:fs/promises";
import { ShiplineError } from "../../../core/errors/shipline-error.js";
import { abortableSleep } from "../../bus/deliver-event.js";
import { type ArchivedEvent, archivedEvent } from "../../bus/event-archive.js";

/** Options of {@link followArchive}. */
export interface FollowArchiveOptions {
  /** The archive file (`<data-dir>/bus/archive.jsonl`); it may not exist yet. */
  readonly path: string;
  /** Stops following; the promise then resolves. */
  readonly signal: AbortSignal;
  /** Called with every archived event, the ones already there first, in file order. */
  readonly onRecord: (record: ArchivedEvent) => void;
  /** How often to look for new lines. @default 200 */
  readonly pollMs?: number;
}

/**
 * Reads an archive file and keeps reading it as it grows, like `tail -f`, until the signal aborts:
 * complete lines only (a line still being written waits for its newline), from the start again if
 * the file is replaced by a shorter one. A line that is not an archived event is an
 * `ARCHIVE_CORRUPT` error naming it.
 *
 * @example
 * ```ts
 * await followArchive({ path: busLayout(dataDir).archive, signal: io.signal, onRecord: print });
 * ```
 */
export async function followArchive(options: FollowArchiveOptions): Promise<void> {
  const pollMs = options.pollMs ?? 200;
  let offset = 0;
  // Bytes, not text: a read may end inside a character still being written.
  let pending = Buffer.alloc(0);
  let line = 0;
  while (!options.signal.aborted) {
    const size = await sizeOf(options.path);
    if (size < offset) {
      offset = 0;
      pending = Buffer.alloc(0);
      line = 0;
    }
    if (size > offset) {
      const bytes = Buffer.concat([pending, await readRange(options.path, offset, size)]);
      offset = size;
      const end = bytes.lastIndexOf(0x0a) + 1;
      pending = bytes.subarray(end);
      for (const text of bytes.subarray(0, end).toString("utf8").split("\n").slice(0, -1)) {
        line++;
        if (text.trim() !== "") options.onRecord(parseLine(text, options.path, line));
      }
    }
    try {
      await abortableSleep(pollMs, options.signal);
    } catch {
      return;
    }
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return 0;
    throw error;
  }
}

async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function parseLine(text: string, path: string, line: number): ArchivedEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const result = archivedEvent.safeParse(json);
  if (!result.success) {
    throw new ShiplineError({
      code: "ARCHIVE_CORRUPT",
      message: `${path} line ${line} is not an archived event; remove that line`,
      data: { file: path, line },
    });
  }
  return result.data;
}
