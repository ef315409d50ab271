import { type Document, isMap, isNode, isPair, isScalar, isSeq } from "yaml";
import type { ParsedManifest } from "./parse-manifest.js";

/**
 * The offset just after the last line of a node's own text (after any comment on that line,
 * before the line ending): where a sibling line is inserted so that it follows the node.
 *
 * @example
 * ```ts
 * const at = lineAfter(manifest, imagesSequence); // insert `\n- name: web` here
 * ```
 */
export function lineAfter(manifest: ParsedManifest, node: unknown): number {
  return manifest.lines.lineEnd(contentEnd(manifest, node));
}

/**
 * The offset where a node's own text ends: the end of its last scalar for block collections,
 * the closing bracket for flow ones, without trailing line endings.
 *
 * @example
 * ```ts
 * contentEnd(manifest, entryMap); // end of the entry's last value
 * ```
 */
export function contentEnd(manifest: ParsedManifest, node: unknown): number {
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last = node.items.at(-1);
    if (last !== undefined) return contentEnd(manifest, isPair(last) ? (last.value ?? last.key) : last);
  }
  let end = isNode(node) && node.range ? node.range[1] : 0;
  while (end > 0 && (manifest.text[end - 1] === "\n" || manifest.text[end - 1] === "\r")) end -= 1;
  return end;
}

/**
 * The 0-based column of a node's first character (for a mapping: of its first key).
 *
 * @example
 * ```ts
 * columnOf(manifest, entryMap); // 2 for "- name: web"
 * ```
 */
export function columnOf(manifest: ParsedManifest, node: unknown): number | undefined {
  const first = isMap(node) ? node.items[0]?.key : node;
  const range = isScalar(first) || isMap(first) || isSeq(first) ? first.range : undefined;
  return range ? manifest.lines.columnOf(range[0]) : undefined;
}

/**
 * How far a block sequence's `-` sits right of its parent key in this document (`0` for
 * `images:\n- name: web`, `2` for `images:\n  - name: web`), judged from the first such
 * sequence; `0` when there is none, as `kustomize edit set image` writes.
 *
 * @example
 * ```ts
 * sequenceIndent(manifest, document); // 2
 * ```
 */
export function sequenceIndent(manifest: ParsedManifest, document: Document.Parsed): number {
  let found: number | undefined;
  const visit = (node: unknown): void => {
    if (found !== undefined || !isMap(node) || node.flow) return;
    for (const pair of node.items) {
      const value = pair.value;
      if (isSeq(value) && !value.flow && value.range && isScalar(pair.key) && pair.key.range) {
        found = manifest.lines.columnOf(value.range[0]) - manifest.lines.columnOf(pair.key.range[0]);
        return;
      }
      visit(value);
    }
  };
  visit(document.contents);
  return found !== undefined && found >= 0 ? found : 0;
}
