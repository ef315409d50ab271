import { isAlias, isScalar } from "yaml";
import { ShiplineError } from "../errors/shipline-error.js";
import { updateImageReference } from "./image-reference.js";
import type { ImageValue, MarkerEdit } from "./manifest-edit.js";
import type { ParsedManifest } from "./parse-manifest.js";
import { scalarSplice, scalarText } from "./scalar-splice.js";
import { type MarkerField, parseSetterMarker, type SetterMarker } from "./setter-marker.js";
import type { Splice } from "./splice.js";
import { assertImageParts, type ImagePart } from "./validate-values.js";
import { walkValues } from "./walk-values.js";

const PART: Record<Exclude<MarkerField, "image">, ImagePart> = {
  tag: "tag",
  name: "repository",
  digest: "digest",
};

/**
 * Plans a marker edit: every scalar, in every document, whose line ends with a setter marker
 * named `edit.marker` (see `parseSetterMarker`) gets the image part its marker asks for. A file
 * without such a marker is refused with `MANIFEST_MARKER_NOT_FOUND`, listing the markers it has.
 *
 * @example
 * ```ts
 * planMarkerEdit(manifest, { kind: "marker", marker: "flux-system:web", image: { repository, tag } }, 0);
 * ```
 */
export function planMarkerEdit(manifest: ParsedManifest, edit: MarkerEdit, editIndex: number): Splice[] {
  const splices: Splice[] = [];
  const seen: string[] = [];
  let matched = 0;
  for (const [documentIndex, document] of manifest.documents.entries()) {
    for (const value of walkValues(document)) {
      const node = value.node;
      if (!(isScalar(node) || isAlias(node)) || !node.range) continue;
      const marker = markerAfter(manifest, node.range[1]);
      if (!marker) continue;
      seen.push(marker.name);
      if (marker.name !== edit.marker) continue;
      matched += 1;
      const line = manifest.lines.lineOf(node.range[0]);
      const context = `marker "${edit.marker}" (${marker.field}) at line ${line}`;
      if (isAlias(node)) {
        throw new ShiplineError({
          code: "MANIFEST_ALIAS_REFUSED",
          message: `${context} marks the alias *${node.source}; editing through an alias would change every user of the anchor: move the marker to the anchored value &${node.source}`,
          data: { marker: edit.marker, line, alias: node.source },
        });
      }
      const next = markedValue(marker, edit.image, isScalar(node) ? scalarText(node) : null, context);
      const located = { node, documentIndex, canonical: value.canonical, inFlow: value.inFlow };
      const splice = scalarSplice(manifest, located, next, editIndex);
      if (splice) splices.push(splice);
    }
  }
  if (matched === 0) {
    const found = [...new Set(seen)];
    throw new ShiplineError({
      code: "MANIFEST_MARKER_NOT_FOUND",
      message: `no setter marker for "${edit.marker}" in the file (${found.length > 0 ? `markers found: ${found.join(", ")}` : "it has no markers"}); add a comment such as # {"$imagepolicy": "<namespace>:<policy>"} or # shipline:image=<app> after the value`,
      data: { marker: edit.marker, found },
    });
  }
  return splices;
}

/** The marker in the comment that ends the line at `offset`, if the comment follows directly. */
function markerAfter(manifest: ParsedManifest, offset: number): SetterMarker | undefined {
  const rest = manifest.text.slice(offset, manifest.lines.lineEnd(offset));
  const comment = /^[ \t]+#(.*)$/.exec(rest);
  return comment?.[1] === undefined ? undefined : parseSetterMarker(comment[1]);
}

function markedValue(
  marker: SetterMarker,
  image: ImageValue,
  current: string | null,
  context: string,
): string {
  if (marker.field !== "image") {
    const part = PART[marker.field];
    assertImageParts(image, [part], context);
    return image[part] ?? "";
  }
  const given = (["repository", "tag", "digest"] as const).filter((part) => image[part] !== undefined);
  assertImageParts(image, given, context);
  if (given.length === 0 || (current === null && image.repository === undefined)) {
    throw new ShiplineError({
      code: "IMAGE_REF_INVALID",
      message: `${context} marks a whole image reference; pass image.repository, image.tag and/or image.digest`,
      data: { marker: marker.name, given },
    });
  }
  return updateImageReference(current ?? "", image);
}
