import { type Document, isMap, isScalar, isSeq } from "yaml";
import { itemSegment } from "./sequence-item.js";
import type { PathSegment } from "./value-path.js";

/** A value node met while walking a document. */
export interface WalkedValue {
  /** The node: scalar, alias, collection or null. */
  readonly node: unknown;
  /** Its path; items of sequences of mappings with a unique `name` read `[name=...]`. */
  readonly canonical: readonly PathSegment[];
  /** True when the node sits inside a flow collection. */
  readonly inFlow: boolean;
}

/**
 * Lists every value node of a document (mapping values and sequence items, depth first, in
 * file order) with its path. Keys are not values and aliases are not followed.
 *
 * @example
 * ```ts
 * for (const value of walkValues(document)) console.log(formatValuePath(value.canonical));
 * ```
 */
export function walkValues(document: Document.Parsed): WalkedValue[] {
  const out: WalkedValue[] = [];
  const visit = (node: unknown, canonical: readonly PathSegment[], inFlow: boolean): void => {
    out.push({ node, canonical, inFlow });
    if (isMap(node)) {
      for (const pair of node.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        visit(pair.value, [...canonical, { key: name }], inFlow || node.flow === true);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        visit(item, [...canonical, itemSegment(node.items, index)], inFlow || node.flow === true);
      });
    }
  };
  visit(document.contents, [], false);
  return out;
}
