import type { Writable } from "node:stream";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { describeEvent } from "./describe-event.js";

const MARKS = { progress: "·", success: "✓", failure: "✗" } as const;

/**
 * Prints the chain live, one line per event: the time, the journey (`app@sha7`), the step's event,
 * a summary, and the time since the journey's first event, so each step's duration shows.
 *
 * @example
 * ```ts
 * const printer = new ChainPrinter(process.stdout);
 * bus.addRule(everything, async (event) => printer.print(event));
 * ```
 */
export class ChainPrinter {
  readonly #out: Writable;
  readonly #firstSeen = new Map<string, number>();
  readonly #lastSeen = new Map<string, number>();

  constructor(out: Writable) {
    this.#out = out;
  }

  /** Prints one event (events that say nothing to a reader are skipped). */
  print(event: EventEnvelope): void {
    const line = describeEvent(event);
    if (!line) return;
    const at = Date.parse(event.time) || Date.now();
    const key = journeyKey(event) ?? line.journey;
    const first = this.#firstSeen.get(key) ?? at;
    this.#firstSeen.set(key, first);
    const previous = this.#lastSeen.get(key) ?? at;
    this.#lastSeen.set(key, Math.max(previous, Date.now()));
    const clock = new Date().toISOString().slice(11, 19);
    const step = `+${((Date.now() - previous) / 1000).toFixed(1)}s`;
    const total = `${((Date.now() - first) / 1000).toFixed(1)}s`;
    this.#out.write(
      `${clock} ${MARKS[line.outcome]} ${line.journey.padEnd(16)} ${line.what.padEnd(22)} ${step.padStart(7)} ${total.padStart(7)}  ${line.summary}\n`,
    );
  }
}

function journeyKey(event: EventEnvelope): string | undefined {
  const detail = event.detail;
  if (typeof detail !== "object" || detail === null || !("correlationId" in detail)) return undefined;
  const id = detail.correlationId;
  return typeof id === "string" ? id.replace(/#\d+$/, "") : undefined;
}
