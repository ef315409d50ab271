import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod";

/** One message of a local queue as its journal keeps it. */
export const journalMessage = z.object({
  id: z.string().min(1),
  body: z.string(),
  groupId: z.string().optional(),
  sentAt: z.number(),
  visibleAt: z.number(),
  receiveCount: z.number().int().nonnegative(),
});

/** What a local queue keeps on disk: its messages and the FIFO deduplication ids still in force. */
export const queueJournal = z.object({
  messages: z.array(journalMessage),
  deduplication: z.array(z.object({ id: z.string(), messageId: z.string(), until: z.number() })),
});

/** A parsed {@link queueJournal}. */
export type QueueJournal = z.infer<typeof queueJournal>;

/**
 * Reads a queue's journal; an absent file is an empty queue. A journal that does not parse throws,
 * naming the file: messages are never dropped silently.
 *
 * @example
 * ```ts
 * const { messages } = readQueueJournal(".shipline/queues/config-writer.fifo.json");
 * ```
 */
export function readQueueJournal(file: string): QueueJournal {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      return { messages: [], deduplication: [] };
    }
    throw error;
  }
  const parsed = queueJournal.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`the queue journal ${file} does not parse; move it aside to start the queue empty`);
  }
  return parsed.data;
}

/**
 * Writes a queue's journal atomically (a temporary file renamed over it), so that a crash leaves
 * either the old journal or the new one.
 *
 * @example
 * ```ts
 * writeQueueJournal(file, { messages, deduplication });
 * ```
 */
export function writeQueueJournal(file: string, journal: QueueJournal): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(journal), { mode: 0o600 });
  renameSync(temporary, file);
}
