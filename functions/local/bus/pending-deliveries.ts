import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod";

/** One delivery of an event to one rule's target that has not ended yet. */
export interface PendingDelivery {
  readonly eventId: string;
  readonly rule: string;
  /** When the bus accepted the event (the rule's maximum event age counts from it). */
  readonly receivedAt: number;
}

const line = z.discriminatedUnion("op", [
  z.object({ op: z.literal("add"), eventId: z.string(), rule: z.string(), receivedAt: z.number() }),
  z.object({ op: z.literal("done"), eventId: z.string(), rule: z.string() }),
]);

/**
 * The deliveries under way of a local bus, kept in an append-only file (a line when one starts, a
 * line when it ends, delivered or dead-lettered), as EventBridge keeps an accepted event until each
 * target has it: after a stop or a crash, the deliveries that had not ended are delivered again
 * from the archive (at least once, as EventBridge). Opening compacts the file to what is pending.
 *
 * @example
 * ```ts
 * const pending = PendingDeliveries.open(".shipline/bus/pending.jsonl");
 * pending.add({ eventId, rule: "promote-on-promotion-trigger", receivedAt });
 * pending.done(eventId, "promote-on-promotion-trigger");
 * ```
 */
export class PendingDeliveries {
  readonly #file: string;
  readonly #pending = new Map<string, PendingDelivery>();

  private constructor(file: string) {
    this.#file = file;
  }

  /** Reads the file (a line that does not parse is skipped), and rewrites it with what is pending. */
  static open(file: string): PendingDeliveries {
    const deliveries = new PendingDeliveries(file);
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
    }
    for (const raw of text.split("\n")) {
      if (raw.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        continue;
      }
      const parsed = line.safeParse(value);
      if (!parsed.success) continue;
      const key = keyOf(parsed.data.eventId, parsed.data.rule);
      if (parsed.data.op === "add") {
        deliveries.#pending.set(key, {
          eventId: parsed.data.eventId,
          rule: parsed.data.rule,
          receivedAt: parsed.data.receivedAt,
        });
      } else {
        deliveries.#pending.delete(key);
      }
    }
    mkdirSync(path.dirname(file), { recursive: true });
    const compacted = [...deliveries.#pending.values()].map((delivery) =>
      JSON.stringify({ op: "add", ...delivery }),
    );
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, compacted.length === 0 ? "" : `${compacted.join("\n")}\n`, { mode: 0o600 });
    renameSync(temporary, file);
    return deliveries;
  }

  /** The deliveries that had not ended when the file was opened or since. */
  list(): PendingDelivery[] {
    return [...this.#pending.values()];
  }

  /** Records a delivery as started. */
  add(delivery: PendingDelivery): void {
    const key = keyOf(delivery.eventId, delivery.rule);
    if (this.#pending.has(key)) return;
    this.#pending.set(key, delivery);
    appendFileSync(this.#file, `${JSON.stringify({ op: "add", ...delivery })}\n`, { mode: 0o600 });
  }

  /** Records a delivery as ended (delivered or dead-lettered). */
  done(eventId: string, rule: string): void {
    if (!this.#pending.delete(keyOf(eventId, rule))) return;
    appendFileSync(this.#file, `${JSON.stringify({ op: "done", eventId, rule })}\n`);
  }
}

function keyOf(eventId: string, rule: string): string {
  return `${eventId}\n${rule}`;
}
