import { applyEdit } from "../manifest/apply-edits.js";
import type { ManifestChange } from "../manifest/edit-result.js";
import { parseImageReference } from "../manifest/image-reference.js";
import { targetEdit } from "./target-edit.js";
import type { WriteIntent } from "./write-intent.js";

/** What a deploy target holds: the parts of an image its field writes (a tag, a digest, or both). */
export interface TargetImage {
  readonly tag?: string;
  readonly digest?: string;
  readonly repository?: string;
}

/** Values no file holds: writing them over the target reveals, as each change's `previous`, what it holds now. */
const PROBE = {
  repository: "shipline.invalid/probe",
  tag: "shipline-probe-0",
  digest: `sha256:${"0".repeat(64)}`,
} as const;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Reads the image a deploy target holds in a file's text, whatever its kind (Helm value, Kustomize
 * `images[]` entry, marked scalar) and field (tag, digest, tag@digest, repository:tag): the target's
 * own edit is applied with values no file holds, and the values it replaced are what the target
 * holds. Returns `undefined` when the target holds no value (an empty field). Errors of the edit
 * (the path is not in the file, the file is not YAML) are thrown as they are: permanent
 * ShiplineErrors that name the file's problem.
 *
 * @example
 * ```ts
 * readTargetImage({ target: { kind: "helm", file: "values.yaml", path: "image.tag", field: "tag" }, app: "demo", text: "image:\n  tag: 1.0.0-0123456\n" });
 * // { tag: "1.0.0-0123456" }
 * ```
 */
export function readTargetImage(options: {
  readonly target: WriteIntent["target"];
  readonly app: string;
  readonly text: string;
}): TargetImage | undefined {
  const edit = targetEdit({ target: options.target, app: options.app, image: PROBE });
  const { changes } = applyEdit({ text: options.text, edit });
  const image: { tag?: string; digest?: string; repository?: string } = {};
  for (const change of changes) Object.assign(image, partsOf(change));
  return image.tag === undefined && image.digest === undefined ? undefined : image;
}

function partsOf(change: ManifestChange): TargetImage {
  const value = change.previous;
  if (value === null || value === "") return {};
  const key =
    change.path
      .split(/[.[\]=]/)
      .filter(Boolean)
      .at(-1) ?? "";
  if (key === "newName") return { repository: value };
  if (key === "newTag") return { tag: value };
  if (key === "digest" || DIGEST.test(value)) return { digest: value };
  // A tag holds neither ':' nor '@' (OCI tag grammar): either means a reference or tag@digest.
  if (!value.includes(":") && !value.includes("@")) return { tag: value };
  const at = value.indexOf("@");
  const named = at === -1 ? value : value.slice(0, at);
  const digest = at === -1 ? undefined : value.slice(at + 1);
  const reference = named.includes(":") || named.includes("/") ? parseImageReference(named) : { tag: named };
  return {
    ...("repository" in reference ? { repository: reference.repository } : {}),
    ...(reference.tag === undefined ? {} : { tag: reference.tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/**
 * True when two target images name the same image: the same digest when both know one, else the
 * same tag.
 *
 * @example
 * ```ts
 * sameTargetImage({ tag: "1.0.0" }, { tag: "1.0.0", digest: "sha256:…" }); // true
 * ```
 */
export function sameTargetImage(left: TargetImage | undefined, right: TargetImage | undefined): boolean {
  if (left === undefined || right === undefined) return left === right;
  if (left.digest !== undefined && right.digest !== undefined) return left.digest === right.digest;
  return left.tag !== undefined && left.tag === right.tag;
}

/**
 * The scalars a deploy target writes in a file's text, as `<documentIndex>#<path>` (the paths
 * `diffScalars` and a revert use), found the way {@link readTargetImage} finds its value. Empty when
 * the target's edit does not apply to the text.
 *
 * @example
 * ```ts
 * targetScalarPaths({ target, app: "demo", text }); // Set { "0#image.tag" }
 * ```
 */
export function targetScalarPaths(options: {
  readonly target: WriteIntent["target"];
  readonly app: string;
  readonly text: string;
}): Set<string> {
  try {
    const edit = targetEdit({ target: options.target, app: options.app, image: PROBE });
    const { changes } = applyEdit({ text: options.text, edit });
    return new Set(changes.map((change) => `${change.documentIndex}#${change.path}`));
  } catch {
    return new Set();
  }
}
