import { splitImageRepository } from "../config/image-repository.js";
import type { KustomizeField, ManifestEdit } from "../manifest/manifest-edit.js";
import type { WriteIntent } from "./write-intent.js";

/** Options of {@link targetEdit}. */
export interface TargetEditOptions {
  /** Where the image goes. */
  readonly target: WriteIntent["target"];
  /** The app (default marker name). */
  readonly app: string;
  /** The image to write. */
  readonly image: WriteIntent["image"];
}

/**
 * Turns a deploy target and an image into the manifest edit that writes it, following the
 * target's `field`:
 * - Helm: `tag`, `digest` set the scalar at `path`; `tag+digest` writes `tag@digest` there;
 *   `repository+tag` writes the whole reference `repository:tag`.
 * - Kustomize: `newTag`, `digest`, `newTag+digest`, `newName+newTag` on the `images[]` entry named
 *   `image` (default: the image repository's name).
 * - Marker: the marked scalars (marker default: the app) get the parts the field names.
 *
 * @example
 * ```ts
 * targetEdit({ target: { kind: "helm", file: "envs/dev/values.yaml", path: "image.tag", field: "tag" }, app: "demo", image });
 * // { kind: "helm", path: "image.tag", field: "tag", image: { tag: "1.4.0-0123456" } }
 * ```
 */
export function targetEdit(options: TargetEditOptions): ManifestEdit {
  const { target, image } = options;
  const field = target.field;
  const parts = imageParts(field, image);
  switch (target.kind) {
    case "helm":
      // `tag` and `digest` set that scalar; `repository+tag` writes the whole reference there.
      return field === "tag+digest"
        ? { kind: "scalar", path: target.path, value: `${image.tag}@${image.digest}` }
        : {
            kind: "helm",
            path: target.path,
            field: field === "repository+tag" ? "reference" : field,
            image: parts,
          };
    case "kustomize":
      return {
        kind: "kustomize",
        name: target.image ?? splitImageRepository(image.repository).name,
        field: KUSTOMIZE_FIELD[field],
        image: parts,
      };
    case "marker":
      return { kind: "marker", marker: target.marker ?? options.app, image: parts };
  }
}

type Field = WriteIntent["target"]["field"];

/** The Kustomize `images[]` fields each write field sets. */
const KUSTOMIZE_FIELD = {
  tag: "newTag",
  digest: "digest",
  "tag+digest": "newTag+digest",
  "repository+tag": "newName+newTag",
} as const satisfies Record<Field, KustomizeField>;

/** The parts of the image a write field names. */
function imageParts(
  field: Field,
  image: WriteIntent["image"],
): { repository?: string; tag?: string; digest?: string } {
  return {
    ...(field === "repository+tag" ? { repository: image.repository } : {}),
    ...(field === "digest" ? {} : { tag: image.tag }),
    ...(field.endsWith("digest") ? { digest: image.digest } : {}),
  };
}
