import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { applyEdits, manifestEdit } from "../../../../functions/core/manifest/index.js";

const casesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../fixtures/manifests");

const intentFile = z.strictObject({
  description: z.string().min(1),
  edits: z.array(manifestEdit).min(1),
  changed: z.boolean(),
  changes: z.array(
    z.strictObject({
      editIndex: z.number().optional(),
      documentIndex: z.number().optional(),
      path: z.string(),
      line: z.number().optional(),
      previous: z.string().nullable().optional(),
      next: z.string().nullable().optional(),
      style: z.enum(["plain", "single", "double"]).optional(),
      quoted: z.boolean().optional(),
      inserted: z.boolean().optional(),
      anchor: z.string().optional(),
    }),
  ),
});

const cases = readdirSync(casesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe("manifest golden files", () => {
  it("has at least fifteen cases", () => {
    // Arrange / Act: the case directories were listed above.
    // Assert
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  describe.each(cases)("%s", (name) => {
    const read = (file: string): Buffer => readFileSync(path.join(casesDir, name, file));
    const intent = intentFile.parse(JSON.parse(read("intent.json").toString("utf8")));

    it(`produces after.yaml byte for byte (${intent.description})`, () => {
      // Arrange
      const before = read("before.yaml").toString("utf8");
      const after = read("after.yaml");

      // Act
      const result = applyEdits({ text: before, edits: intent.edits });

      // Assert
      expect(Buffer.from(result.text, "utf8").equals(after)).toBe(true);
      expect(result.text).toBe(after.toString("utf8"));
      expect(result.changed).toBe(intent.changed);
    });

    it("reports each changed scalar with its path, line and previous value", () => {
      // Arrange
      const before = read("before.yaml").toString("utf8");

      // Act
      const result = applyEdits({ text: before, edits: intent.edits });

      // Assert
      expect(result.changes).toMatchObject(intent.changes);
    });

    it("changes nothing more when the edits are applied again", () => {
      // Arrange
      const after = read("after.yaml").toString("utf8");

      // Act
      const again = applyEdits({ text: after, edits: intent.edits.filter((edit) => edit.kind !== "scalar") });

      // Assert
      expect(again.text).toBe(after);
      expect(again.changed).toBe(false);
      expect(again.changes).toEqual([]);
    });
  });
});
