import { isScalar } from "yaml";
import { parseManifest } from "../manifest/parse-manifest.js";
import { scalarText } from "../manifest/scalar-splice.js";
import { formatValuePath } from "../manifest/value-path.js";
import { walkValues } from "../manifest/walk-values.js";

/** One scalar whose value differs between two versions of a file. */
export interface ScalarChange {
  /** 0-based YAML document index. */
  readonly documentIndex: number;
  /** Value path, as `parseValuePath` reads it (`images[name=web].newTag`). */
  readonly path: string;
  /** The value in the older version (`null`: YAML null). */
  readonly previous: string | null;
  /** The value in the newer version. */
  readonly next: string | null;
}

/** What {@link diffScalars} found. */
export interface ScalarDiff {
  /** Scalars present in both versions with different values, in file order. */
  readonly changes: readonly ScalarChange[];
  /** Paths that were added, removed or changed shape (scalar to mapping, documents added): not undoable by a scalar edit. */
  readonly structural: readonly string[];
}

interface Leaf {
  readonly kind: "scalar" | "collection";
  readonly value: string | null;
}

/**
 * Compares two versions of a YAML file value by value: which scalars changed (with both values,
 * as written: `1.10` stays `1.10`), and which paths appeared, disappeared or changed shape. Used
 * to undo a config commit's edit with scalar edits that keep the rest of the file as it is now.
 *
 * @example
 * ```ts
 * diffScalars({ before: "image:\n  tag: v1\n", after: "image:\n  tag: v2\n" });
 * // { changes: [{ documentIndex: 0, path: "image.tag", previous: "v1", next: "v2" }], structural: [] }
 * ```
 */
export function diffScalars(options: { readonly before: string; readonly after: string }): ScalarDiff {
  const before = parseManifest(options.before).documents.map(leavesOf);
  const after = parseManifest(options.after).documents.map(leavesOf);
  const changes: ScalarChange[] = [];
  const structural: string[] = [];
  if (before.length !== after.length) structural.push(`<documents ${before.length} -> ${after.length}>`);
  after.forEach((leaves, documentIndex) => {
    const older = before[documentIndex];
    if (older === undefined) return;
    for (const [path, leaf] of leaves) {
      const old = older.get(path);
      if (old === undefined || old.kind !== leaf.kind) structural.push(path);
      else if (leaf.kind === "scalar" && old.value !== leaf.value) {
        changes.push({ documentIndex, path, previous: old.value, next: leaf.value });
      }
    }
    for (const path of older.keys()) if (!leaves.has(path)) structural.push(path);
  });
  return { changes, structural };
}

function leavesOf(document: Parameters<typeof walkValues>[0]): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>();
  for (const value of walkValues(document)) {
    const path = formatValuePath(value.canonical);
    if (value.node === null || value.node === undefined) leaves.set(path, { kind: "scalar", value: null });
    else if (isScalar(value.node)) leaves.set(path, { kind: "scalar", value: scalarText(value.node) });
    else leaves.set(path, { kind: "collection", value: null });
  }
  return leaves;
}
