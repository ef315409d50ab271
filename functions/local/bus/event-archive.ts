import * as z from "zod";
import { type EventEnvelope, eventEnvelope } from "../../core/contracts/event-envelope.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { JsonLinesFile } from "./json-lines-file.js";

/** One archived event and when the bus accepted it. */
export const archivedEvent = z.object({ archivedAt: z.iso.datetime(), event: eventEnvelope });

/** One line of the archive. */
export type ArchivedEvent = z.infer<typeof archivedEvent>;

/** A time window, `from` inclusive and `to` exclusive; either end may be open. */
export interface TimeWindow {
  readonly from?: Date;
  readonly to?: Date;
}

/**
 * The archive of every accepted event: kept in a JSON Lines file when one is given, else in
 * memory (tests, benchmarks). Replay and `shipline events` read it back.
 *
 * @example
 * ```ts
 * const archive = new EventArchive(new JsonLinesFile(busLayout(dataDir).archive));
 * await archive.append([event], new Date());
 * ```
 */
export class EventArchive {
  private readonly memory: ArchivedEvent[] = [];

  constructor(private readonly file?: JsonLinesFile) {}

  /** Appends events accepted at `archivedAt`. */
  async append(events: readonly EventEnvelope[], archivedAt: Date): Promise<void> {
    const records = events.map((event) => ({ archivedAt: archivedAt.toISOString(), event }));
    if (this.file) await this.file.append(records);
    else this.memory.push(...records);
  }

  /** Reads the archived events accepted within the window, oldest first. */
  async read(window: TimeWindow = {}): Promise<ArchivedEvent[]> {
    const all = this.file ? await readArchiveLines(this.file) : this.memory;
    return all.filter((record) => inWindow(new Date(record.archivedAt), window));
  }
}

/**
 * Reads and validates every line of an archive file.
 *
 * @example
 * ```ts
 * const records = await readArchiveLines(new JsonLinesFile(busLayout(".shipline").archive));
 * ```
 */
export async function readArchiveLines(file: JsonLinesFile): Promise<ArchivedEvent[]> {
  const lines = await file.readAll();
  return lines.map((line, index) => {
    const result = archivedEvent.safeParse(line);
    if (!result.success) {
      throw new ShiplineError({
        code: "ARCHIVE_CORRUPT",
        message: `${file.path} record ${index + 1} is not an archived event (${result.error.issues[0]?.message ?? "invalid"}); remove that line`,
        data: { file: file.path, record: index + 1 },
      });
    }
    return result.data;
  });
}

function inWindow(time: Date, window: TimeWindow): boolean {
  if (window.from && time < window.from) return false;
  if (window.to && time >= window.to) return false;
  return true;
}
