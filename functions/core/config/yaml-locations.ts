import { type Document, isMap, isNode, isScalar, isSeq, type LineCounter } from "yaml";

/** A 1-based position in the file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Finds where a key path is written in a parsed YAML document: the key itself when it exists
 * (so an unknown key points at its own line), else the closest enclosing node that does.
 *
 * @example
 * ```ts
 * const lineCounter = new LineCounter();
 * const doc = parseDocument(text, { lineCounter });
 * locate(doc, lineCounter, ["apps", 0, "image", "tag"]); // { line: 14, column: 7 }
 * ```
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
): SourcePosition | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return line === 0 ? undefined : { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}
