import { join } from "node:path";

/** The data directory the CLI and the local runtime use unless told otherwise. */
export const DEFAULT_DATA_DIR = ".shipline";

/**
 * Where the local bus keeps its files under the data directory:
 *
 * ```text
 * <data-dir>/
 *   endpoints.json            { "bus": "http://127.0.0.1:<port>", ... } — URLs of running local services
 *   bus/archive.jsonl         one line per accepted event: { "archivedAt": ISO time, "event": envelope }
 *   bus/dead-letters.jsonl    one line per undeliverable event: rule, target, event, error, attempts, time
 * ```
 *
 * @example
 * ```ts
 * const { archive } = busLayout(".shipline");
 * ```
 */
export function busLayout(dataDir: string): {
  readonly endpoints: string;
  readonly archive: string;
  readonly deadLetters: string;
  /** The deliveries under way, delivered again after a restart. */
  readonly pending: string;
} {
  return {
    endpoints: join(dataDir, "endpoints.json"),
    archive: join(dataDir, "bus", "archive.jsonl"),
    deadLetters: join(dataDir, "bus", "dead-letters.jsonl"),
    pending: join(dataDir, "bus", "pending.jsonl"),
  };
}
