import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readArchiveLines } from "../../../../functions/local/bus/event-archive.js";
import { JsonLinesFile } from "../../../../functions/local/bus/json-lines-file.js";

describe("JsonLinesFile", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-jsonl-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps concurrent appends whole and in call order", async () => {
    // Arrange
    const file = new JsonLinesFile(join(dir, "nested", "log.jsonl"));

    // Act
    await Promise.all(
      Array.from({ length: 50 }, (_, index) => file.append([{ index }, { index, again: true }])),
    );

    // Assert
    const lines = await file.readAll();
    expect(lines).toHaveLength(100);
    expect(lines.filter((_, position) => position % 2 === 0)).toEqual(
      Array.from({ length: 50 }, (_, index) => ({ index })),
    );
  });

  it("reads an absent file as empty", async () => {
    // Arrange
    const file = new JsonLinesFile(join(dir, "none.jsonl"));

    // Act
    const lines = await file.readAll();

    // Assert
    expect(lines).toEqual([]);
  });

  it("leaves out a last line another process is still appending (no newline yet)", async () => {
    // Arrange
    await writeFile(join(dir, "growing.jsonl"), '{"a":1}\n{"a":2}\n{"a":3,"b":"half wri');

    // Act
    const lines = await new JsonLinesFile(join(dir, "growing.jsonl")).readAll();

    // Assert
    expect(lines).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("names the line that is not JSON", async () => {
    // Arrange
    await writeFile(join(dir, "bad.jsonl"), '{"a":1}\n\n{oops\n');

    // Act
    const result = new JsonLinesFile(join(dir, "bad.jsonl")).readAll();

    // Assert
    await expect(result).rejects.toMatchObject({ code: "JSON_LINES_CORRUPT", data: { line: 3 } });
  });

  it("refuses an archive record that is not an archived event", async () => {
    // Arrange
    await writeFile(join(dir, "archive.jsonl"), '{"archivedAt":"2026-01-01T00:00:00Z","event":{"id":"x"}}\n');

    // Act
    const result = readArchiveLines(new JsonLinesFile(join(dir, "archive.jsonl")));

    // Assert
    await expect(result).rejects.toMatchObject({ code: "ARCHIVE_CORRUPT", data: { record: 1 } });
  });
});
