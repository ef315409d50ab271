import { type Alias, type Document, isAlias, isMap, isScalar, isSeq, type YAMLMap } from "yaml";
import { ShiplineError } from "../errors/shipline-error.js";
import type { ParsedManifest } from "./parse-manifest.js";
import { itemSegment, scalarAt } from "./sequence-item.js";
import { formatValuePath, type PathSegment } from "./value-path.js";

/** Where a value path led in one document. */
export type Resolution =
  | {
      readonly found: true;
      /** The node at the path (`null` for an empty document). */
      readonly node: unknown;
      /** The path as found: sequence items of mappings with a unique `name` read `[name=...]`. */
      readonly canonical: readonly PathSegment[];
      /** True when the node sits inside a flow collection (`{...}` or `[...]`). */
      readonly inFlow: boolean;
    }
  | {
      readonly found: false;
      /** How many segments were found before the missing one. */
      readonly depth: number;
      /** The last node found (the one lacking the next segment). */
      readonly at: unknown;
      /** The found part of the path, canonical. */
      readonly canonical: readonly PathSegment[];
    };

/**
 * Follows a value path in one document of a manifest. Refuses (`MANIFEST_ALIAS_REFUSED`) to go
 * through an alias or a merge key (`<<: *base`), since editing there would change every user of
 * the anchor; a missing key is returned as `found: false` for the caller to report or fill.
 *
 * @example
 * ```ts
 * const result = resolvePath(manifest, 0, parseValuePath("image.tag"));
 * if (result.found && isScalar(result.node)) console.log(result.node.value);
 * ```
 */
export function resolvePath(
  manifest: ParsedManifest,
  documentIndex: number,
  segments: readonly PathSegment[],
): Resolution {
  const document = manifest.documents[documentIndex];
  let node: unknown = document?.contents ?? null;
  let inFlow = false;
  const canonical: PathSegment[] = [];
  for (const [depth, segment] of segments.entries()) {
    if (isAlias(node)) refuseAlias(manifest, documentIndex, segments, node);
    if ((isMap(node) || isSeq(node)) && node.flow) inFlow = true;
    const next = step(manifest, documentIndex, segments, node, segment);
    if (next === undefined) return { found: false, depth, at: node, canonical };
    canonical.push(next.segment);
    node = next.node;
  }
  if (isAlias(node)) refuseAlias(manifest, documentIndex, segments, node);
  if ((isMap(node) || isSeq(node)) && node.flow) inFlow = true;
  return { found: true, node, canonical, inFlow };
}

function step(
  manifest: ParsedManifest,
  documentIndex: number,
  segments: readonly PathSegment[],
  node: unknown,
  segment: PathSegment,
): { node: unknown; segment: PathSegment } | undefined {
  if ("key" in segment) {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment.key);
    if (pair) return { node: pair.value, segment };
    const merged = mergedAliasHolding(manifest.documents[documentIndex], node, segment.key);
    if (merged) refuseAlias(manifest, documentIndex, segments, merged);
    return undefined;
  }
  if (!isSeq(node)) return undefined;
  if ("index" in segment) {
    const item = node.items[segment.index];
    return segment.index < node.items.length
      ? { node: item, segment: itemSegment(node.items, segment.index) }
      : undefined;
  }
  const matches = node.items.filter((item) => scalarAt(item, segment.match.key) === segment.match.value);
  if (matches.length > 1) {
    throw new ShiplineError({
      code: "MANIFEST_PATH_AMBIGUOUS",
      message: `value path "${formatValuePath(segments)}" in document ${documentIndex}: ${matches.length} sequence items have ${segment.match.key} "${segment.match.value}"; select one with an index such as [0]`,
      data: { path: formatValuePath(segments), documentIndex, matches: matches.length },
    });
  }
  return matches.length === 1 ? { node: matches[0], segment } : undefined;
}

function mergedAliasHolding(
  document: Document.Parsed | undefined,
  map: YAMLMap<unknown, unknown>,
  key: string,
): Alias | undefined {
  if (!document) return undefined;
  for (const pair of map.items) {
    if (!isScalar(pair.key) || pair.key.value !== "<<") continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      if (!isAlias(source)) continue;
      const target = source.resolve(document);
      if (
        isMap(target) &&
        target.items.some((item) => isScalar(item.key) && String(item.key.value) === key)
      ) {
        return source;
      }
    }
  }
  return undefined;
}

function refuseAlias(
  manifest: ParsedManifest,
  documentIndex: number,
  segments: readonly PathSegment[],
  alias: Alias,
): never {
  const path = formatValuePath(segments);
  const line = alias.range ? manifest.lines.lineOf(alias.range[0]) : undefined;
  const document = manifest.documents[documentIndex];
  const anchored = document ? alias.resolve(document) : undefined;
  const anchorLine = anchored?.range ? manifest.lines.lineOf(anchored.range[0]) : undefined;
  throw new ShiplineError({
    code: "MANIFEST_ALIAS_REFUSED",
    message:
      `value path "${path}" in document ${documentIndex} goes through the alias *${alias.source}` +
      `${line === undefined ? "" : ` at line ${line}`}; editing through an alias would change every user of the anchor: ` +
      `edit the anchored value &${alias.source}${anchorLine === undefined ? "" : ` at line ${anchorLine}`} instead, or give this path its own value`,
    data: { path, documentIndex, alias: alias.source, line, anchorLine },
  });
}
