import { isScalar } from "yaml";
import { ShiplineError } from "../errors/shipline-error.js";
import { updateImageReference } from "./image-reference.js";
import { locatePath, pathNotFound } from "./locate-path.js";
import type { HelmEdit } from "./manifest-edit.js";
import type { ParsedManifest } from "./parse-manifest.js";
import { resolvePath } from "./resolve-path.js";
import { type LocatedScalar, scalarSplice, scalarText } from "./scalar-splice.js";
import type { Splice } from "./splice.js";
import { assertImageParts, type ImagePart } from "./validate-values.js";
import { formatValuePath } from "./value-path.js";

/**
 * Plans a Helm values edit. For a one-part field (`tag`, `digest`, `repository`) the path names
 * that scalar; for a `+` field it names the mapping, whose keys (`repository`, `tag`, `digest`
 * unless `keys` says otherwise) must all exist; for `reference` it names a scalar holding
 * `repository[:tag][@digest]` (see `updateImageReference`). Missing keys are refused with
 * `MANIFEST_PATH_NOT_FOUND`: a chart's values are its interface, Shipline does not invent keys.
 *
 * @example
 * ```ts
 * planHelmEdit(manifest, { kind: "helm", path: "image", field: "repository+tag", image }, 0);
 * ```
 */
export function planHelmEdit(manifest: ParsedManifest, edit: HelmEdit, editIndex: number): Splice[] {
  const context = `helm edit of "${edit.path}" (${edit.field})`;
  const located = locatePath(manifest, edit.path, edit.documentIndex);
  if (edit.field === "reference")
    return compact([referenceSplice(manifest, edit, located, editIndex, context)]);
  const parts = edit.field.split("+").filter(isImagePart);
  assertImageParts(edit.image, parts, context);
  if (parts.length === 1 && parts[0]) {
    return compact([scalarSplice(manifest, located, edit.image[parts[0]] ?? null, editIndex)]);
  }
  const splices: (Splice | undefined)[] = [];
  for (const part of parts) {
    const key = edit.keys?.[part] ?? part;
    const segments = [...located.canonical, { key }];
    const resolution = resolvePath(manifest, located.documentIndex, segments);
    if (!resolution.found) throw pathNotFound(manifest, segments, located.documentIndex, resolution);
    const target = {
      node: resolution.node,
      documentIndex: located.documentIndex,
      canonical: resolution.canonical,
      inFlow: resolution.inFlow,
    };
    splices.push(scalarSplice(manifest, target, edit.image[part] ?? null, editIndex));
  }
  return compact(splices);
}

function referenceSplice(
  manifest: ParsedManifest,
  edit: HelmEdit,
  located: LocatedScalar,
  editIndex: number,
  context: string,
): Splice | undefined {
  const given = (["repository", "tag", "digest"] as const).filter((part) => edit.image[part] !== undefined);
  assertImageParts(edit.image, given, context);
  const current = isScalar(located.node) ? scalarText(located.node) : null;
  if (given.length === 0 || (current === null && edit.image.repository === undefined)) {
    throw new ShiplineError({
      code: "IMAGE_REF_INVALID",
      message: `${context} needs image parts to write${current === null ? ", including image.repository since the value is empty" : ""}; pass image.repository, image.tag and/or image.digest`,
      data: { path: formatValuePath(located.canonical), given },
    });
  }
  return scalarSplice(manifest, located, updateImageReference(current ?? "", edit.image), editIndex);
}

function isImagePart(part: string): part is ImagePart {
  return part === "repository" || part === "tag" || part === "digest";
}

function compact(splices: readonly (Splice | undefined)[]): Splice[] {
  return splices.filter((splice): splice is Splice => splice !== undefined);
}
