import { isAlias, isMap, isScalar, isSeq, type YAMLMap } from "yaml";
import { ShiplineError } from "../errors/shipline-error.js";
import { entryInsertion, keyInsertion, type NewValue, sectionInsertion } from "./kustomize-insertion.js";
import type { KustomizeEdit } from "./manifest-edit.js";
import type { ParsedManifest } from "./parse-manifest.js";
import { type Resolution, resolvePath } from "./resolve-path.js";
import { describeNode, scalarSplice } from "./scalar-splice.js";
import { scalarAt } from "./sequence-item.js";
import type { Splice } from "./splice.js";
import { assertImageParts, type ImagePart } from "./validate-values.js";

const KEYS = { newName: "repository", newTag: "tag", digest: "digest" } as const satisfies Record<
  string,
  ImagePart
>;

/** A Kustomize `images[]` key. */
export type KustomizeKey = keyof typeof KEYS;

/**
 * Plans a Kustomize edit on the `images[]` entries whose `name` is `edit.name` (every such
 * entry). Keys of the field that an entry lacks are added to it, after its last key, at its
 * indentation. When no entry has that name, one is appended to `images:` in the style of the
 * entries already there (`- name` first, then `newName`, `newTag`, `digest`); when the
 * kustomization has no `images:` at all, the section is added at the end of the document, its
 * sequence indented like the file's other sequences. This is what `kustomize edit set image`
 * does, and it is the one place where Shipline adds keys.
 *
 * Setting `digest` leaves an existing `newTag` alone (Kustomize then uses the digest); setting
 * `newTag` on an entry pinned by a `digest` is refused with `MANIFEST_DIGEST_PINNED`, since the
 * new tag would have no effect: use the field `newTag+digest` there.
 *
 * @example
 * ```ts
 * planKustomizeEdit(manifest, { kind: "kustomize", name: "web", field: "newTag", image: { tag: "v2" } }, 0);
 * ```
 */
export function planKustomizeEdit(
  manifest: ParsedManifest,
  edit: KustomizeEdit,
  editIndex: number,
): Splice[] {
  const keys = edit.field.split("+").filter(isKustomizeKey);
  const context = `kustomize edit of image "${edit.name}" (${edit.field})`;
  assertImageParts(
    edit.image,
    keys.map((key) => KEYS[key]),
    context,
  );
  const values: NewValue[] = keys.map((key) => ({ key, value: edit.image[KEYS[key]] ?? "" }));
  const documentIndex = edit.documentIndex ?? 0;
  const document = manifest.documents[documentIndex];
  const root = document?.contents;
  if (!document || !isMap(root)) {
    throw new ShiplineError({
      code: "MANIFEST_PATH_NOT_FOUND",
      message: `${context}: document ${documentIndex} of the file is ${document ? describeNode(root) : "missing"}, not a kustomization mapping; point the deploy target at a kustomization.yaml`,
      data: { name: edit.name, documentIndex },
    });
  }
  const images = resolvePath(manifest, documentIndex, [{ key: "images" }]);
  const target = { manifest, document, documentIndex, editIndex, name: edit.name, values };
  if (!images.found) return sectionInsertion({ ...target, root });
  const sequence = images.node;
  if (isScalar(sequence) && sequence.value === null)
    return sectionInsertion({ ...target, root, emptyImages: sequence });
  if (!isSeq(sequence)) throw unsupported(manifest, context, images, documentIndex);
  const entries = sequence.items.flatMap((item, index) =>
    scalarAt(item, "name") === edit.name && isMap(item) ? [{ item, index }] : [],
  );
  if (entries.length === 0) return entryInsertion({ ...target, sequence });
  return entries.flatMap(({ item, index }) => {
    const splices: Splice[] = [];
    assertNotPinned(manifest, item, keys, context);
    for (const { key, value } of values) {
      const found = resolvePath(manifest, documentIndex, [{ key: "images" }, { index }, { key }]);
      if (!found.found) {
        splices.push(...keyInsertion({ ...target, entry: item, index, sequence, key, value }));
        continue;
      }
      const located = { node: found.node, documentIndex, canonical: found.canonical, inFlow: found.inFlow };
      const splice = scalarSplice(manifest, located, value, editIndex);
      if (splice) splices.push(splice);
    }
    return splices;
  });
}

function assertNotPinned(
  manifest: ParsedManifest,
  entry: YAMLMap<unknown, unknown>,
  keys: readonly KustomizeKey[],
  context: string,
): void {
  const digest = scalarAt(entry, "digest");
  if (!keys.includes("newTag") || keys.includes("digest") || digest === undefined) return;
  const line = entry.range ? manifest.lines.lineOf(entry.range[0]) : undefined;
  throw new ShiplineError({
    code: "MANIFEST_DIGEST_PINNED",
    message: `${context}: the entry${line === undefined ? "" : ` at line ${line}`} is pinned by digest ${digest}, which Kustomize uses instead of newTag; use the field "newTag+digest" so that both change`,
    data: { digest, line },
  });
}

function unsupported(
  manifest: ParsedManifest,
  context: string,
  images: Resolution,
  documentIndex: number,
): ShiplineError {
  const node = images.found ? images.node : undefined;
  const line =
    isMap(node) || isScalar(node) || isAlias(node)
      ? node.range
        ? manifest.lines.lineOf(node.range[0])
        : undefined
      : undefined;
  return new ShiplineError({
    code: "MANIFEST_EDIT_UNSUPPORTED",
    message: `${context}: images${line === undefined ? "" : ` at line ${line}`} is ${describeNode(node)}, not a sequence of image entries; write it as a list of - name: ... entries`,
    data: { documentIndex, line },
  });
}

function isKustomizeKey(key: string): key is KustomizeKey {
  return key === "newName" || key === "newTag" || key === "digest";
}
