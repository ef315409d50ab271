import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { DocumentStore, PutOptions, StoreItem, StoreKey } from "../../core/ports/document-store.js";

/** Options of {@link DynamoDbDocumentStore}. */
export interface DynamoDbDocumentStoreOptions {
  /** The document client, created once per cold start. */
  readonly client: DynamoDBDocumentClient;
  /**
   * The physical DynamoDB table of each logical table the code names, e.g.
   * `{ idempotency: "ShiplineStack-IdempotencyTable-1A2B3C" }`.
   */
  readonly tables: Readonly<Record<string, string>>;
  /** Decides which items have expired. @default - the system clock */
  readonly clock?: Clock;
}

/** Error names of DynamoDB that the same request will always get again. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set(["ValidationException", "SerializationException"]);

const storedItem = z.object({
  pk: z.string(),
  sk: z.string(),
  value: z.unknown(),
  expiresAt: z.number().optional(),
});

/**
 * The {@link DocumentStore} on DynamoDB. Each logical table maps to a physical table whose key is
 * `pk` (partition, string) and `sk` (sort, string) and whose TTL attribute is `expiresAt` (epoch
 * seconds); an item holds its value in `value`. DynamoDB deletes expired items only eventually, so
 * expired items are filtered out of reads and an expired item does not block `ifAbsent`
 * (`attribute_not_exists(pk) OR expiresAt <= :now`). Values are stored as JSON would hold them
 * (dates become ISO strings), like the local store.
 *
 * Errors are `STORE_FAILED` ShiplineErrors naming the table and operation, retryable unless DynamoDB
 * says the request itself is invalid.
 *
 * @example
 * ```ts
 * const store = new DynamoDbDocumentStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tables: { idempotency: tableName } });
 * const fresh = await store.put("idempotency", { pk: "delivery#abc", sk: "-" }, { seen: true }, { ifAbsent: true, expiresAt });
 * ```
 */
export class DynamoDbDocumentStore implements DocumentStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tables: Readonly<Record<string, string>>;
  readonly #clock: Clock;

  constructor(options: DynamoDbDocumentStoreOptions) {
    this.#client = options.client;
    this.#tables = options.tables;
    this.#clock = options.clock ?? systemClock;
  }

  /** Reads one live item, with a strongly consistent read. */
  async get<T = unknown>(table: string, key: StoreKey): Promise<T | undefined> {
    const tableName = this.#tableOf(table);
    checkKey(key);
    const output = await this.#send("get", table, () =>
      this.#client.send(
        new GetCommand({ TableName: tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
      ),
    );
    const item = output.Item === undefined ? undefined : this.#live(output.Item, table);
    // The caller names the type it stored; the table only holds what `put` was given.
    return item?.value as T | undefined;
  }

  /** Writes one item; resolves false, writing nothing, when `ifAbsent` is set and a live item exists. */
  async put<T>(table: string, key: StoreKey, value: T, options: PutOptions = {}): Promise<boolean> {
    const tableName = this.#tableOf(table);
    checkKey(key);
    const item: Record<string, unknown> = { pk: key.pk, sk: key.sk, value: toJson(value, table) };
    if (options.expiresAt !== undefined) item.expiresAt = Math.floor(options.expiresAt.getTime() / 1000);
    const condition = options.ifAbsent
      ? {
          ConditionExpression: "attribute_not_exists(pk) OR expiresAt <= :now",
          ExpressionAttributeValues: { ":now": this.#nowSeconds() },
        }
      : {};
    try {
      await this.#client.send(new PutCommand({ TableName: tableName, Item: item, ...condition }));
      return true;
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        nameOf(error) === "ConditionalCheckFailedException"
      ) {
        return false;
      }
      throw storeFailed("put", table, error);
    }
  }

  /** Deletes one item; no error when it is missing. */
  async delete(table: string, key: StoreKey): Promise<void> {
    const tableName = this.#tableOf(table);
    checkKey(key);
    await this.#send("delete", table, () =>
      this.#client.send(new DeleteCommand({ TableName: tableName, Key: { pk: key.pk, sk: key.sk } })),
    );
  }

  /** Lists the live items of one partition in sort-key order, reading every page. */
  async query<T = unknown>(
    table: string,
    pk: string,
    options: { readonly skPrefix?: string } = {},
  ): Promise<StoreItem<T>[]> {
    const tableName = this.#tableOf(table);
    const prefix = options.skPrefix ?? "";
    const items: StoreItem<T>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const exclusiveStartKey = startKey;
      const output = await this.#send("query", table, () =>
        this.#client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: prefix === "" ? "pk = :pk" : "pk = :pk AND begins_with(sk, :prefix)",
            FilterExpression: "attribute_not_exists(expiresAt) OR expiresAt > :now",
            ExpressionAttributeValues: {
              ":pk": pk,
              ":now": this.#nowSeconds(),
              ...(prefix === "" ? {} : { ":prefix": prefix }),
            },
            ConsistentRead: true,
            ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
          }),
        ),
      );
      for (const raw of output.Items ?? []) {
        const item = this.#live(raw, table);
        // The caller names the type it stored; the table only holds what `put` was given.
        if (item !== undefined) items.push({ pk: item.pk, sk: item.sk, value: item.value as T });
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  #tableOf(table: string): string {
    const name = this.#tables[table];
    if (name === undefined) {
      throw new ShiplineError({
        code: "STORE_TABLE_UNKNOWN",
        message: `no DynamoDB table is configured for the '${table}' table; known: ${Object.keys(this.#tables).join(", ") || "none"}; set the function's table variable`,
        data: { table },
        retryable: false,
      });
    }
    return name;
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock.now().getTime() / 1000);
  }

  /** The item, or undefined when it has expired (DynamoDB's TTL sweep has not run yet). */
  #live(raw: Record<string, unknown>, table: string): z.infer<typeof storedItem> | undefined {
    const parsed = storedItem.safeParse(raw);
    if (!parsed.success) {
      throw new ShiplineError({
        code: "STORE_ITEM_INVALID",
        message: `an item of the '${table}' table lacks pk, sk or a numeric expiresAt; only Shipline should write to this table`,
        data: { table },
        retryable: false,
      });
    }
    const { expiresAt } = parsed.data;
    return expiresAt !== undefined && expiresAt <= this.#nowSeconds() ? undefined : parsed.data;
  }

  async #send<R>(operation: string, table: string, call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw storeFailed(operation, table, error);
    }
  }
}

function checkKey(key: StoreKey): void {
  if (key.pk === "" || key.sk === "") {
    throw new ShiplineError({
      code: "STORE_KEY_INVALID",
      message: `store keys must not be empty, got pk '${key.pk}' and sk '${key.sk}'`,
      data: { pk: key.pk, sk: key.sk },
      retryable: false,
    });
  }
}

function toJson(value: unknown, table: string): unknown {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? null : JSON.parse(json);
  } catch (error) {
    throw new ShiplineError({
      code: "STORE_VALUE_INVALID",
      message: `a value for the '${table}' table is not JSON (${error instanceof Error ? error.message : String(error)}); store plain data`,
      data: { table },
      retryable: false,
      cause: error,
    });
  }
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : "UnknownError";
}

function storeFailed(operation: string, table: string, error: unknown): ShiplineError {
  if (error instanceof ShiplineError) return error;
  const name = nameOf(error);
  return new ShiplineError({
    code: "STORE_FAILED",
    message: `DynamoDB ${operation} on the '${table}' table failed with ${name}: ${error instanceof Error ? error.message : String(error)}`,
    data: { table, operation, errorName: name },
    retryable: !PERMANENT_ERRORS.has(name),
    cause: error,
  });
}
