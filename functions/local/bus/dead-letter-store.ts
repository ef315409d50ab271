import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { JsonLinesFile } from "./json-lines-file.js";

/** Why delivery stopped. */
export type DeadLetterReason = "max-attempts" | "max-event-age" | "non-retryable" | "bus-closed";

/** One event that could not be delivered to a rule's target. */
export interface DeadLetter {
  readonly time: string;
  readonly rule: string;
  readonly target: string;
  readonly event: EventEnvelope;
  readonly error: { readonly message: string; readonly code?: string; readonly name: string };
  readonly attempts: number;
  readonly reason: DeadLetterReason;
}

/**
 * The dead-letter store of the local bus: a JSON Lines file when one is given, and always an
 * in-memory list for inspection.
 *
 * @example
 * ```ts
 * const store = new DeadLetterStore(new JsonLinesFile(busLayout(dataDir).deadLetters));
 * ```
 */
export class DeadLetterStore {
  private readonly records: DeadLetter[] = [];

  constructor(private readonly file?: JsonLinesFile) {}

  /** Records one dead letter. */
  async add(letter: DeadLetter): Promise<void> {
    this.records.push(letter);
    if (this.file) await this.file.append([letter]);
  }

  /** The dead letters recorded by this process. */
  list(): readonly DeadLetter[] {
    return this.records;
  }
}

/**
 * Describes a thrown value for a dead-letter record: its message, and its code when it has one.
 *
 * @example
 * ```ts
 * describeError(new ShiplineError({ code: "X", message: "boom" })); // { name, message, code: "X" }
 * ```
 */
export function describeError(error: unknown): DeadLetter["error"] {
  if (error instanceof ShiplineError) return { name: error.name, message: error.message, code: error.code };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}
