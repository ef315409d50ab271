import { type Document, isMap, isScalar, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { ShiplineError } from "../errors/shipline-error.js";
import { columnOf, contentEnd, lineAfter, sequenceIndent } from "./insertion-point.js";
import type { ParsedManifest } from "./parse-manifest.js";
import { renderScalar } from "./render-scalar.js";
import { itemSegment } from "./sequence-item.js";
import type { Splice } from "./splice.js";
import { formatValuePath, type PathSegment } from "./value-path.js";

/** A key and value to write into an `images[]` entry. */
export interface NewValue {
  readonly key: "newName" | "newTag" | "digest";
  readonly value: string;
}

/** What every Kustomize insertion needs to know. */
export interface InsertionTarget {
  readonly manifest: ParsedManifest;
  readonly document: Document.Parsed;
  readonly documentIndex: number;
  readonly editIndex: number;
  /** The image name the entry matches on. */
  readonly name: string;
  readonly values: readonly NewValue[];
}

/**
 * Adds one missing key to an existing `images[]` entry, after its last key: on a line of its
 * own at the entry's indentation, or as `, key: value` in a flow entry.
 *
 * @example
 * ```ts
 * keyInsertion({ ...target, entry, index: 0, sequence, key: "digest", value: "sha256:..." });
 * ```
 */
export function keyInsertion(
  target: InsertionTarget & {
    readonly entry: YAMLMap<unknown, unknown>;
    readonly index: number;
    readonly sequence: YAMLSeq<unknown>;
  } & NewValue,
): Splice[] {
  const { manifest, entry } = target;
  const canonical = [
    { key: "images" },
    itemSegment(target.sequence.items, target.index),
    { key: target.key },
  ];
  const inFlow = target.sequence.flow === true || entry.flow === true;
  if (entry.flow) {
    const last = entry.items.at(-1);
    const start = last ? contentEnd(manifest, last.value ?? last.key) : (entry.range?.[0] ?? 0) + 1;
    return [pair(target, start, last ? ", " : "", target, canonical, inFlow, 0)];
  }
  const indent = " ".repeat(columnOf(manifest, entry) ?? 0);
  return [
    pair(target, lineAfter(manifest, entry), `${manifest.newline}${indent}`, target, canonical, inFlow, 0),
  ];
}

/**
 * Appends a new entry to the `images:` sequence, in the style of the entries already there.
 *
 * @example
 * ```ts
 * entryInsertion({ ...target, sequence });
 * ```
 */
export function entryInsertion(target: InsertionTarget & { readonly sequence: YAMLSeq<unknown> }): Splice[] {
  const { manifest, sequence } = target;
  if (sequence.flow) {
    const last = sequence.items.at(-1);
    const start = last === undefined ? (sequence.range?.[0] ?? 0) + 1 : contentEnd(manifest, last);
    return flowEntry(target, start, last === undefined ? "" : ", ");
  }
  const dash = sequence.range ? manifest.lines.columnOf(sequence.range[0]) : 0;
  const first = sequence.items[0];
  const keyColumn = isMap(first) && !first.flow ? columnOf(manifest, first) : undefined;
  const offset = keyColumn !== undefined && keyColumn > dash ? keyColumn - dash : 2;
  return blockEntry(target, lineAfter(manifest, sequence), dash, offset, 0);
}

/**
 * Adds an `images:` section holding one entry at the end of the kustomization, or fills an
 * `images:` key that has no value.
 *
 * @example
 * ```ts
 * sectionInsertion({ ...target, root });
 * ```
 */
export function sectionInsertion(
  target: InsertionTarget & { readonly root: YAMLMap<unknown, unknown>; readonly emptyImages?: Scalar },
): Splice[] {
  const { manifest, root, emptyImages } = target;
  if (root.flow) {
    throw new ShiplineError({
      code: "MANIFEST_EDIT_UNSUPPORTED",
      message: `kustomize edit of image "${target.name}": the kustomization is a flow mapping ({...}); write it in block style so that an images: section can be added`,
      data: { name: target.name, documentIndex: target.documentIndex },
    });
  }
  const rootColumn = columnOf(manifest, root) ?? 0;
  const dash = rootColumn + sequenceIndent(manifest, target.document);
  const imagesKey = root.items.find((item) => isScalar(item.key) && item.key.value === "images")?.key;
  if (emptyImages && isScalar(imagesKey) && imagesKey.range && emptyImages.range) {
    const splices: Splice[] = [];
    const [start, end] = emptyImages.range;
    // `images: ~` or `images: null`: drop the null so that the sequence can follow the key.
    if (end > start) {
      const colon = manifest.text.indexOf(":", imagesKey.range[1]) + 1;
      splices.push({ start: colon, end, insert: "", editIndex: target.editIndex, order: 0 });
    }
    return [...splices, ...blockEntry(target, manifest.lines.lineEnd(imagesKey.range[0]), dash, 2, 1)];
  }
  const at = lineAfter(manifest, root);
  const header = `${manifest.newline}${" ".repeat(rootColumn)}images:`;
  return [
    { start: at, end: at, insert: header, editIndex: target.editIndex, order: 0 },
    ...blockEntry(target, at, dash, 2, 1),
  ];
}

function blockEntry(
  target: InsertionTarget,
  at: number,
  dash: number,
  offset: number,
  order: number,
): Splice[] {
  const { manifest } = target;
  const canonical = entryPath(target);
  const name = renderScalar(target.name, { style: "plain", flow: false }).text;
  const first = `${manifest.newline}${" ".repeat(dash)}-${" ".repeat(offset - 1)}name: ${name}`;
  const prefix = `${manifest.newline}${" ".repeat(dash + offset)}`;
  return [
    { start: at, end: at, insert: first, editIndex: target.editIndex, order },
    ...target.values.map((value, index) =>
      pair(target, at, prefix, value, [...canonical, { key: value.key }], false, order + 1 + index),
    ),
  ];
}

function flowEntry(target: InsertionTarget, at: number, separator: string): Splice[] {
  const canonical = entryPath(target);
  const name = renderScalar(target.name, { style: "plain", flow: true }).text;
  const splice = (insert: string, order: number): Splice => ({
    start: at,
    end: at,
    insert,
    editIndex: target.editIndex,
    order,
  });
  return [
    splice(`${separator}{name: ${name}`, 0),
    ...target.values.map((value, index) =>
      pair(target, at, ", ", value, [...canonical, { key: value.key }], true, 1 + index),
    ),
    splice("}", 1 + target.values.length),
  ];
}

function entryPath(target: InsertionTarget): PathSegment[] {
  return [{ key: "images" }, { match: { key: "name", value: target.name } }];
}

function pair(
  target: InsertionTarget,
  at: number,
  prefix: string,
  value: NewValue,
  canonical: readonly PathSegment[],
  flow: boolean,
  order: number,
): Splice {
  const rendered = renderScalar(value.value, { style: "plain", flow });
  const lead = `${prefix}${value.key}: `;
  return {
    start: at,
    end: at,
    insert: `${lead}${rendered.text}`,
    editIndex: target.editIndex,
    order,
    change: {
      documentIndex: target.documentIndex,
      path: formatValuePath(canonical),
      previous: null,
      next: value.value,
      style: rendered.style,
      quoted: rendered.quoted,
      inserted: true,
      valueOffset: lead.length,
    },
  };
}
