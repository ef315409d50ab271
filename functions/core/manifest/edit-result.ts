/** How a scalar is written in the file. */
export type ScalarStyle = "plain" | "single" | "double";

/**
 * One scalar an edit changed. `previous` is what a rollback writes back (with a `scalar` edit on
 * the same `documentIndex` and `path`, `expect: next`).
 */
export interface ManifestChange {
  /** Index of the edit in the batch that asked for this change. */
  readonly editIndex: number;
  /** 0-based index of the YAML document (`---`) in the file. */
  readonly documentIndex: number;
  /** Value path of the scalar; sequence items of mappings with a unique `name` read `[name=web]`. */
  readonly path: string;
  /** 1-based line of the new value in the new text. */
  readonly line: number;
  /** The value before: plain scalars as written (`1.10`, not 1.1); `null` if absent or YAML null. */
  readonly previous: string | null;
  /** The value after (`null` when a `scalar` edit wrote null). */
  readonly next: string | null;
  /** The style the new value is written in. */
  readonly style: ScalarStyle;
  /** True when a plain scalar had to be quoted so that it stays a string (`1.10`, `on`, `a: b`). */
  readonly quoted: boolean;
  /** True when the key did not exist and was added (Kustomize `images[]` only). */
  readonly inserted: boolean;
  /** The scalar's anchor, if any: every alias of it now reads the new value too. */
  readonly anchor?: string;
}

/** The outcome of applying edits to one file. */
export interface EditResult {
  /** The new file text; equal to the input when nothing changed. */
  readonly text: string;
  /** False when the file already held every value (then: no commit). */
  readonly changed: boolean;
  /** Each scalar changed, in file order. */
  readonly changes: readonly ManifestChange[];
}
