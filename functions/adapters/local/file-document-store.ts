import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { DocumentStore, PutOptions, StoreItem, StoreKey } from "../../core/ports/document-store.js";

/** Options of {@link FileDocumentStore}. */
export interface FileDocumentStoreOptions {
  /** Directory holding one `<table>.json` file per table; created when missing. */
  readonly directory: string;
  /** Decides which items have expired. @default - the system clock */
  readonly clock?: Clock;
}

const storedItem = z.object({
  pk: z.string(),
  sk: z.string(),
  value: z.unknown(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

const tableFile = z.object({ version: z.literal(1), items: z.array(storedItem) });

type StoredItem = z.infer<typeof storedItem>;

// One write chain per file, shared by every instance in the process, so that two stores opened on
// the same directory still see each other's writes in order.
const chains = new Map<string, Promise<unknown>>();

/**
 * The local {@link DocumentStore}: each table is one JSON file, `<directory>/<table>.json`, rewritten
 * whole on every change by writing a temporary file, flushing it to disk and renaming it over the
 * old one, so a crash leaves the old or the new table, never half of one. Operations on a table run
 * one at a time within the process; each reads the file, so a new instance (after a restart) sees
 * everything written before. Expired items are never returned and are dropped on the next write.
 * Values must be JSON (dates come back as ISO strings).
 *
 * @example
 * ```ts
 * const store = new FileDocumentStore({ directory: ".shipline/store" });
 * const fresh = await store.put("idempotency", { pk: "delivery#abc", sk: "-" }, { seen: true }, { ifAbsent: true, expiresAt });
 * ```
 */
export class FileDocumentStore implements DocumentStore {
  readonly #directory: string;
  readonly #clock: Clock;

  constructor(options: FileDocumentStoreOptions) {
    this.#directory = path.resolve(options.directory);
    this.#clock = options.clock ?? systemClock;
  }

  /** Reads one live item. */
  async get<T = unknown>(table: string, key: StoreKey): Promise<T | undefined> {
    checkKey(key);
    const items = await this.#serialise(table, (file) => this.#readLive(file));
    const item = items.find((candidate) => candidate.pk === key.pk && candidate.sk === key.sk);
    // The caller names the type it stored; the file only holds what `put` was given.
    return item?.value as T | undefined;
  }

  /** Writes one item; resolves false, writing nothing, when `ifAbsent` is set and a live item exists. */
  async put<T>(table: string, key: StoreKey, value: T, options: PutOptions = {}): Promise<boolean> {
    checkKey(key);
    const json = toJson(value, table, key);
    return this.#serialise(table, async (file) => {
      const items = await this.#readLive(file);
      const index = items.findIndex((candidate) => candidate.pk === key.pk && candidate.sk === key.sk);
      if (index !== -1 && options.ifAbsent) return false;
      const item: StoredItem = {
        pk: key.pk,
        sk: key.sk,
        value: json,
        ...(options.expiresAt ? { expiresAt: options.expiresAt.toISOString() } : {}),
      };
      if (index === -1) items.push(item);
      else items[index] = item;
      await this.#write(file, items);
      return true;
    });
  }

  /** Deletes one item; no error when it is missing. */
  async delete(table: string, key: StoreKey): Promise<void> {
    checkKey(key);
    await this.#serialise(table, async (file) => {
      const items = await this.#readLive(file);
      const kept = items.filter((candidate) => candidate.pk !== key.pk || candidate.sk !== key.sk);
      if (kept.length !== items.length) await this.#write(file, kept);
    });
  }

  /** Lists the live items of one partition in sort-key order (UTF-8 bytes, as DynamoDB orders them). */
  async query<T = unknown>(
    table: string,
    pk: string,
    options: { readonly skPrefix?: string } = {},
  ): Promise<StoreItem<T>[]> {
    const items = await this.#serialise(table, (file) => this.#readLive(file));
    const prefix = options.skPrefix ?? "";
    return items
      .filter((item) => item.pk === pk && item.sk.startsWith(prefix))
      .sort((left, right) => Buffer.compare(Buffer.from(left.sk), Buffer.from(right.sk)))
      .map((item) => ({ pk: item.pk, sk: item.sk, value: item.value as T }));
  }

  #serialise<R>(table: string, work: (file: string) => Promise<R>): Promise<R> {
    const file = this.#fileOf(table);
    const result = (chains.get(file) ?? Promise.resolve()).then(() => work(file));
    const tail = result.catch(() => undefined);
    chains.set(file, tail);
    void tail.then(() => {
      if (chains.get(file) === tail) chains.delete(file);
    });
    return result;
  }

  #fileOf(table: string): string {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/.test(table)) {
      throw new ShiplineError({
        code: "STORE_TABLE_INVALID",
        message: `table name '${table}' is invalid; use letters, digits, '_', '-' and '.', not starting with '.' or '-'`,
        data: { table },
      });
    }
    return path.join(this.#directory, `${table}.json`);
  }

  async #readLive(file: string): Promise<StoredItem[]> {
    const now = this.#clock.now().getTime();
    return (await readTable(file)).filter(
      (item) => item.expiresAt === undefined || Date.parse(item.expiresAt) > now,
    );
  }

  async #write(file: string, items: readonly StoredItem[]): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temporary, "w");
      try {
        await handle.writeFile(`${JSON.stringify({ version: 1, items }, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new ShiplineError({
        code: "STORE_WRITE_FAILED",
        message: `could not write ${file}: ${error instanceof Error ? error.message : String(error)}; check that the directory is writable and the disk not full`,
        data: { file },
        retryable: true,
        cause: error,
      });
    }
  }
}

async function readTable(file: string): Promise<StoredItem[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, error instanceof Error ? error.message : String(error), error);
  }
  const parsed = tableFile.safeParse(json);
  if (!parsed.success) throw corrupt(file, formatIssues(parsed.error.issues).join("; "));
  return parsed.data.items;
}

function corrupt(file: string, reason: string, cause?: unknown): ShiplineError {
  return new ShiplineError({
    code: "STORE_FILE_CORRUPT",
    message: `store file ${file} is not a valid table (${reason}); restore it from a backup, or delete it to start that table empty`,
    data: { file },
    ...(cause === undefined ? {} : { cause }),
  });
}

function checkKey(key: StoreKey): void {
  if (!key.pk || !key.sk) {
    throw new ShiplineError({
      code: "STORE_KEY_INVALID",
      message: `store key ${JSON.stringify(key)} is invalid; pk and sk must be non-empty strings (use "-" for a table without sort key)`,
      data: { key },
    });
  }
}

function toJson(value: unknown, table: string, key: StoreKey): unknown {
  let text: string | undefined;
  let cause: unknown;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    cause = error;
  }
  if (text === undefined) {
    throw new ShiplineError({
      code: "STORE_VALUE_INVALID",
      message: `the value for ${table} ${key.pk}/${key.sk} cannot be stored as JSON (undefined, a function, a bigint or a cycle); store plain data`,
      data: { table, pk: key.pk, sk: key.sk },
      ...(cause === undefined ? {} : { cause }),
    });
  }
  return JSON.parse(text);
}
