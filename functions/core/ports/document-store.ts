/** Options for {@link DocumentStore.put}. */
export interface PutOptions {
  /** Only write when no live item has this key; `put` then resolves false instead of overwriting. */
  readonly ifAbsent?: boolean;
  /** When the item expires and stops being returned (idempotency records). */
  readonly expiresAt?: Date;
}

/**
 * Port for the key-value tables Shipline keeps: idempotency records, the ledger, holds, deployed
 * versions. DynamoDB on AWS, a file-backed store locally. Keys are `partition` + `sort`.
 *
 * @example
 * ```ts
 * const fresh = await store.put("idempotency", { pk: "delivery#abc", sk: "-" }, { seen: true }, { ifAbsent: true, expiresAt });
 * if (!fresh) return; // a replayed delivery
 * ```
 */
export interface DocumentStore {
  /** Reads one item, or undefined when there is none (or it expired). */
  get<T = unknown>(table: string, key: StoreKey): Promise<T | undefined>;
  /** Writes one item; resolves false when `ifAbsent` was set and a live item exists. */
  put<T>(table: string, key: StoreKey, value: T, options?: PutOptions): Promise<boolean>;
  /** Deletes one item (no error when it is missing). */
  delete(table: string, key: StoreKey): Promise<void>;
  /** Lists the live items of one partition, in sort-key order, optionally from a sort-key prefix. */
  query<T = unknown>(
    table: string,
    pk: string,
    options?: { readonly skPrefix?: string },
  ): Promise<StoreItem<T>[]>;
}

/** The key of a store item. */
export interface StoreKey {
  readonly pk: string;
  readonly sk: string;
}

/** An item with its key. */
export interface StoreItem<T> extends StoreKey {
  readonly value: T;
}
