import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The real samples under `../shared` (JSON files of `fixtures/` and `conformance/samples/`),
 * read by name. It remembers which were read, so that a sample no check reads is reported
 * instead of passing unnoticed.
 */
export class SampleStore {
  readonly #root: string;
  readonly #names: readonly string[];
  readonly #read = new Set<string>();

  constructor(options: { readonly root: string; readonly directories: readonly string[] }) {
    this.#root = options.root;
    this.#names = options.directories.flatMap((directory) => jsonFilesUnder(options.root, directory)).sort();
  }

  /** Every sample's name (its path under the root), sorted. */
  names(): readonly string[] {
    return this.#names;
  }

  /** The samples whose file name (without directory) starts with `prefix`. */
  named(prefix: string): string[] {
    return this.#names.filter((name) => path.basename(name).startsWith(prefix));
  }

  /** A sample's exact bytes. */
  bytes(name: string): Buffer {
    this.#read.add(name);
    return readFileSync(path.join(this.#root, name));
  }

  /** A sample, parsed as JSON. */
  json(name: string): unknown {
    return JSON.parse(this.bytes(name).toString("utf8"));
  }

  /** The samples no check has read. */
  unread(): string[] {
    return this.#names.filter((name) => !this.#read.has(name));
  }
}

function jsonFilesUnder(root: string, directory: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(path.join(root, directory));
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = path.join(directory, entry);
    if (statSync(path.join(root, relative)).isDirectory()) return jsonFilesUnder(root, relative);
    return entry.endsWith(".json") ? [relative] : [];
  });
}
