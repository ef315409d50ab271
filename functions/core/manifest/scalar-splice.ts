import { isAlias, isMap, isScalar, isSeq, Scalar } from "yaml";
import { ShiplineError } from "../errors/shipline-error.js";
import type { ScalarStyle } from "./edit-result.js";
import type { ParsedManifest } from "./parse-manifest.js";
import { renderScalar } from "./render-scalar.js";
import type { Splice } from "./splice.js";
import { formatValuePath, type PathSegment } from "./value-path.js";

/** A scalar found in a manifest, with where it is. */
export interface LocatedScalar {
  readonly node: unknown;
  readonly documentIndex: number;
  readonly canonical: readonly PathSegment[];
  readonly inFlow: boolean;
}

/**
 * The current value of a scalar node as a change reports it: plain scalars as written (`1.10`
 * stays `1.10`), quoted ones decoded, YAML null (empty, `~`, `null`) as `null`.
 *
 * @example
 * ```ts
 * scalarText(document.get("tag", true)); // "v1"
 * ```
 */
export function scalarText(node: Scalar): string | null {
  if (node.value === null) return null;
  if (node.type === Scalar.PLAIN && typeof node.source === "string") return node.source;
  return String(node.value);
}

/**
 * Plans the replacement of one scalar by `value`, keeping its quoting style (see
 * `renderScalar`), its anchor, tag and trailing comment. Returns nothing when the file already
 * says exactly that. Refuses anything but a one-line scalar (`MANIFEST_EDIT_UNSUPPORTED`).
 *
 * @example
 * ```ts
 * const splice = scalarSplice(manifest, located, "v2", 0);
 * ```
 */
export function scalarSplice(
  manifest: ParsedManifest,
  located: LocatedScalar,
  value: string | null,
  editIndex: number,
): Splice | undefined {
  const { node, documentIndex, canonical } = located;
  const path = formatValuePath(canonical);
  if (!isScalar(node) || !node.range) {
    throw new ShiplineError({
      code: "MANIFEST_EDIT_UNSUPPORTED",
      message: `value path "${path}" in document ${documentIndex} is ${describeNode(node)}, not a scalar; point the path at the value itself (for example image.tag) or choose a field that writes several keys`,
      data: { path, documentIndex },
    });
  }
  const [start, end] = node.range;
  const line = manifest.lines.lineOf(start);
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    throw new ShiplineError({
      code: "MANIFEST_EDIT_UNSUPPORTED",
      message: `value path "${path}" at line ${line} is a block scalar (| or >); write it as a one-line scalar so that Shipline can edit it`,
      data: { path, documentIndex, line },
    });
  }
  const rendered = renderScalar(value, { style: styleOf(node), flow: located.inFlow });
  const existing = manifest.text.slice(start, end);
  if (existing === rendered.text || (value === null && node.value === null)) return undefined;
  // An empty value (`tag:` or `tag: # note`) has no text of its own: keep it apart from the
  // colon before it and from a comment after it.
  const empty = start === end;
  const spacer = empty && !/[ \t]$/.test(manifest.text.slice(0, start)) ? " " : "";
  const after =
    empty && start < manifest.text.length && !/[\r\n]/.test(manifest.text[start] ?? "") ? " " : "";
  return {
    start,
    end,
    insert: spacer + rendered.text + after,
    editIndex,
    order: 0,
    change: {
      documentIndex,
      path,
      previous: scalarText(node),
      next: value,
      style: rendered.style,
      quoted: rendered.quoted,
      inserted: false,
      valueOffset: spacer.length,
      ...(node.anchor ? { anchor: node.anchor } : {}),
    },
  };
}

function styleOf(node: Scalar): ScalarStyle {
  if (node.type === Scalar.QUOTE_SINGLE) return "single";
  if (node.type === Scalar.QUOTE_DOUBLE) return "double";
  return "plain";
}

/** Names a node's kind for an error message. */
export function describeNode(node: unknown): string {
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a sequence";
  if (isAlias(node)) return "an alias";
  return node === null || node === undefined ? "empty" : "a scalar";
}
