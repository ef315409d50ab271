import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/**
 * An append-only JSON Lines file: one JSON value per line. Appends are serialised so that lines
 * written by concurrent callers never interleave, and the parent directory is created on first use.
 *
 * @example
 * ```ts
 * const file = new JsonLinesFile(".shipline/bus/archive.jsonl");
 * await file.append([{ archivedAt, event }]);
 * ```
 */
export class JsonLinesFile {
  private tail: Promise<void> = Promise.resolve();
  private ready: Promise<unknown> | undefined;

  constructor(readonly path: string) {}

  /** Appends the values, one line each, after every earlier append. */
  append(values: readonly unknown[]): Promise<void> {
    if (values.length === 0) return this.tail;
    const text = values.map((value) => `${JSON.stringify(value)}\n`).join("");
    this.ready ??= mkdir(dirname(this.path), { recursive: true });
    const write = this.tail.then(async () => {
      await this.ready;
      await appendFile(this.path, text, "utf8");
    });
    this.tail = write.catch(() => undefined);
    return write;
  }

  /** Reads every line as parsed JSON; an absent file reads as empty. */
  async readAll(): Promise<unknown[]> {
    await this.tail;
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
      throw error;
    }
    return parseJsonLines(text, this.path);
  }
}

/**
 * Parses JSON Lines text, skipping blank lines; a line that is not JSON is reported with its number.
 * A last line without its newline is one another process is still appending (every record is
 * written with its newline), so it is left for the next read.
 *
 * @example
 * ```ts
 * parseJsonLines('{"a":1}\n{"a":2}\n', "archive.jsonl"); // [{ a: 1 }, { a: 2 }]
 * ```
 */
export function parseJsonLines(text: string, name: string): unknown[] {
  const values: unknown[] = [];
  const lines = text.split("\n");
  if (!text.endsWith("\n")) lines.pop();
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      values.push(JSON.parse(line));
    } catch (error) {
      throw new ShiplineError({
        code: "JSON_LINES_CORRUPT",
        message: `${name} line ${index + 1} is not JSON; remove or repair that line`,
        data: { file: name, line: index + 1 },
        cause: error,
      });
    }
  }
  return values;
}
