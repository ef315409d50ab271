import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

function manualClock() {
  let now = Date.parse("2026-01-01T00:00:00Z");
  return {
    now: () => new Date(now),
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

async function errorOf(work: Promise<unknown>): Promise<ShiplineError | undefined> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  return undefined;
}

describe("FileDocumentStore", () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), "shipline-store-"));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("reads back what it wrote, and overwrites an item with the same key", async () => {
    // Arrange
    const store = new FileDocumentStore({ directory });
    const key = { pk: "app#web", sk: "commit#abc" };

    // Act
    await store.put("ledger", key, { step: "build", ok: false });
    await store.put("ledger", key, { step: "build", ok: true });

    // Assert
    expect(await store.get("ledger", key)).toEqual({ step: "build", ok: true });
    expect(await store.get("ledger", { pk: "app#web", sk: "commit#other" })).toBeUndefined();
  });

  it("keeps its items across a restart", async () => {
    // Arrange
    await new FileDocumentStore({ directory }).put("ledger", { pk: "a", sk: "1" }, { hop: "pushed" });

    // Act
    const reopened = new FileDocumentStore({ directory });

    // Assert
    expect(await reopened.get("ledger", { pk: "a", sk: "1" })).toEqual({ hop: "pushed" });
    expect(JSON.parse(await readFile(path.join(directory, "ledger.json"), "utf8")).items).toHaveLength(1);
  });

  it("writes only once with ifAbsent while a live item exists", async () => {
    // Arrange
    const store = new FileDocumentStore({ directory });
    const key = { pk: "delivery#abc", sk: "-" };

    // Act
    const first = await store.put("idempotency", key, { seen: 1 }, { ifAbsent: true });
    const second = await store.put("idempotency", key, { seen: 2 }, { ifAbsent: true });

    // Assert
    expect([first, second]).toEqual([true, false]);
    expect(await store.get("idempotency", key)).toEqual({ seen: 1 });
  });

  it("lets exactly one of many concurrent ifAbsent writes win", async () => {
    // Arrange
    const stores = [new FileDocumentStore({ directory }), new FileDocumentStore({ directory })];
    const key = { pk: "delivery#race", sk: "-" };

    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        stores[index % 2]?.put("idempotency", key, { writer: index }, { ifAbsent: true }),
      ),
    );

    // Assert
    expect(results.filter((result) => result === true)).toHaveLength(1);
  });

  it("stops returning an item once it expired, and lets ifAbsent write over it", async () => {
    // Arrange
    const clock = manualClock();
    const store = new FileDocumentStore({ directory, clock });
    const key = { pk: "delivery#old", sk: "-" };
    await store.put(
      "idempotency",
      key,
      { seen: 1 },
      { ifAbsent: true, expiresAt: new Date(clock.now().getTime() + 60_000) },
    );

    // Act
    clock.advance(59);
    const beforeExpiry = await store.get("idempotency", key);
    clock.advance(1);
    const afterExpiry = await store.get("idempotency", key);
    const listed = await store.query("idempotency", "delivery#old");
    const rewritten = await store.put("idempotency", key, { seen: 2 }, { ifAbsent: true });

    // Assert
    expect(beforeExpiry).toEqual({ seen: 1 });
    expect(afterExpiry).toBeUndefined();
    expect(listed).toEqual([]);
    expect(rewritten).toBe(true);
    expect(await store.get("idempotency", key)).toEqual({ seen: 2 });
  });

  it("lists a partition in sort-key order, optionally from a prefix", async () => {
    // Arrange
    const store = new FileDocumentStore({ directory });
    for (const sk of ["hop#3", "hop#1", "meta", "hop#2"])
      await store.put("ledger", { pk: "commit#abc", sk }, { sk });
    await store.put("ledger", { pk: "commit#other", sk: "hop#1" }, {});

    // Act
    const hops = await store.query("ledger", "commit#abc", { skPrefix: "hop#" });
    const all = await store.query("ledger", "commit#abc");

    // Assert
    expect(hops.map((item) => item.sk)).toEqual(["hop#1", "hop#2", "hop#3"]);
    expect(hops[0]).toEqual({ pk: "commit#abc", sk: "hop#1", value: { sk: "hop#1" } });
    expect(all.map((item) => item.sk)).toEqual(["hop#1", "hop#2", "hop#3", "meta"]);
  });

  it("deletes an item, and deleting a missing one is no error", async () => {
    // Arrange
    const store = new FileDocumentStore({ directory });
    await store.put("holds", { pk: "env#prod", sk: "app#web" }, { reason: "rollback" });

    // Act
    await store.delete("holds", { pk: "env#prod", sk: "app#web" });
    await store.delete("holds", { pk: "env#prod", sk: "app#web" });

    // Assert
    expect(await store.get("holds", { pk: "env#prod", sk: "app#web" })).toBeUndefined();
  });

  it("leaves no temporary files behind and keeps one file per table", async () => {
    // Arrange
    const store = new FileDocumentStore({ directory });

    // Act
    await Promise.all(
      Array.from({ length: 10 }, (_, index) => store.put("ledger", { pk: "p", sk: `${index}` }, index)),
    );
    await store.put("holds", { pk: "p", sk: "s" }, true);

    // Assert
    expect((await readdir(directory)).sort()).toEqual(["holds.json", "ledger.json"]);
    expect(await store.query("ledger", "p")).toHaveLength(10);
  });

  it("names a corrupt file and how to fix it", async () => {
    // Arrange
    await writeFile(path.join(directory, "ledger.json"), "{ not json");
    const store = new FileDocumentStore({ directory });

    // Act
    const error = await errorOf(store.get("ledger", { pk: "a", sk: "b" }));

    // Assert
    expect(error?.code).toBe("STORE_FILE_CORRUPT");
    expect(error?.message).toContain(path.join(directory, "ledger.json"));
    expect(error?.message).toContain("delete it to start that table empty");
  });

  it("refuses a file that is JSON but not a table", async () => {
    // Arrange
    await writeFile(path.join(directory, "ledger.json"), JSON.stringify({ version: 1, items: [{ pk: 1 }] }));
    const store = new FileDocumentStore({ directory });

    // Act
    const error = await errorOf(store.query("ledger", "a"));

    // Assert
    expect(error?.code).toBe("STORE_FILE_CORRUPT");
    expect(error?.message).toContain("items[0].pk");
  });

  it("refuses bad table names, empty keys and values that are not JSON", async () => {
    // Arrange
    const store = new FileDocumentStore({ directory });

    // Act
    const codes = [
      (await errorOf(store.get("../escape", { pk: "a", sk: "b" })))?.code,
      (await errorOf(store.put("ledger", { pk: "", sk: "b" }, {})))?.code,
      (await errorOf(store.put("ledger", { pk: "a", sk: "b" }, 10n)))?.code,
    ];

    // Assert
    expect(codes).toEqual(["STORE_TABLE_INVALID", "STORE_KEY_INVALID", "STORE_VALUE_INVALID"]);
  });
});
