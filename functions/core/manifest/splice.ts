import { ShiplineError } from "../errors/shipline-error.js";
import type { EditResult, ManifestChange } from "./edit-result.js";
import { LineIndex } from "./line-index.js";

/** A change record still waiting for its line in the new text. */
export type PendingChange = Omit<ManifestChange, "line" | "editIndex"> & {
  /** Where the new value starts inside the splice text. */
  readonly valueOffset: number;
};

/** Replace `text.slice(start, end)` with `insert`; an insertion has `start === end`. */
export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly insert: string;
  /** Index of the edit in the batch. */
  readonly editIndex: number;
  /** Orders several insertions of one edit at the same offset. */
  readonly order: number;
  /** The scalar change this splice carries out, if it is one. */
  readonly change?: PendingChange;
}

/**
 * Applies splices computed on one text in a single pass. Identical splices (two edits asking for
 * the same value) count once; two different splices over the same bytes are refused with
 * `MANIFEST_EDIT_OVERLAP`. Insertions at one offset keep batch order.
 *
 * @example
 * ```ts
 * applySplices("tag: v1\n", [{ start: 5, end: 7, insert: "v2", editIndex: 0, order: 0 }]).text; // "tag: v2\n"
 * ```
 */
export function applySplices(text: string, splices: readonly Splice[]): EditResult {
  const sorted = [...splices].sort(
    (a, b) =>
      a.start - b.start ||
      Number(a.end > a.start) - Number(b.end > b.start) ||
      a.editIndex - b.editIndex ||
      a.order - b.order,
  );
  const unique: Splice[] = [];
  for (const splice of sorted) {
    const previous = unique.at(-1);
    if (
      previous &&
      previous.start === splice.start &&
      previous.end === splice.end &&
      previous.insert === splice.insert
    ) {
      continue;
    }
    if (previous && previous.end > splice.start) {
      const lines = new LineIndex(text);
      throw new ShiplineError({
        code: "MANIFEST_EDIT_OVERLAP",
        message: `edits ${previous.editIndex} and ${splice.editIndex} write different values over the same text at line ${lines.lineOf(splice.start)}; give each scalar one value per batch`,
        data: { edits: [previous.editIndex, splice.editIndex], line: lines.lineOf(splice.start) },
      });
    }
    unique.push(splice);
  }
  let out = "";
  let cursor = 0;
  const located: { offset: number; editIndex: number; change: PendingChange }[] = [];
  for (const splice of unique) {
    out += text.slice(cursor, splice.start);
    if (splice.change) {
      located.push({
        offset: out.length + splice.change.valueOffset,
        editIndex: splice.editIndex,
        change: splice.change,
      });
    }
    out += splice.insert;
    cursor = splice.end;
  }
  out += text.slice(cursor);
  const lines = new LineIndex(out);
  const changes = located.map(({ offset, editIndex, change }): ManifestChange => {
    const { valueOffset: _valueOffset, ...rest } = change;
    return { editIndex, ...rest, line: lines.lineOf(offset) };
  });
  return { text: out, changed: out !== text, changes };
}
