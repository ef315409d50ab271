import type { EditResult } from "./edit-result.js";
import { planHelmEdit } from "./helm-edit.js";
import { planKustomizeEdit } from "./kustomize-edit.js";
import type { ManifestEdit } from "./manifest-edit.js";
import { planMarkerEdit } from "./marker-edit.js";
import { type ParsedManifest, parseManifest } from "./parse-manifest.js";
import { planChartVersionEdit, planScalarEdit } from "./path-edit.js";
import { applySplices, type Splice } from "./splice.js";

/** Options of {@link applyEdits}. */
export interface ApplyEditsOptions {
  /** The file's text, exactly as read (any line endings). */
  readonly text: string;
  /** The intents to carry out on this file, all planned on the same original text. */
  readonly edits: readonly ManifestEdit[];
}

/**
 * Applies several edit intents to one YAML file in one pass, as a pure function of the text.
 * Each edit finds the exact source range of the scalar it changes and only that range is
 * replaced: comments, key order, blank lines, quoting, indentation, anchors, other documents and
 * `\r\n` line endings survive byte for byte; the document is never re-stringified. An edit whose
 * value is already in the file changes nothing; `changed: false` then means "no commit".
 *
 * Throws ShiplineError (all permanent): `MANIFEST_PARSE_FAILED`, `MANIFEST_PATH_INVALID`,
 * `MANIFEST_PATH_NOT_FOUND`, `MANIFEST_PATH_AMBIGUOUS`, `MANIFEST_ALIAS_REFUSED`,
 * `MANIFEST_EDIT_UNSUPPORTED`, `MANIFEST_MARKER_NOT_FOUND`, `MANIFEST_DIGEST_PINNED`,
 * `MANIFEST_VALUE_CONFLICT`, `MANIFEST_VALUE_INVALID`, `MANIFEST_EDIT_OVERLAP`,
 * `IMAGE_REF_INVALID`, `CHART_VERSION_INVALID`.
 *
 * @example
 * ```ts
 * const result = applyEdits({
 *   text: "image:\n  repository: ghcr.io/acme/web\n  tag: v1 # bumped by Shipline\n",
 *   edits: [{ kind: "helm", path: "image.tag", field: "tag", image: { tag: "v2" } }],
 * });
 * result.text; // "image:\n  repository: ghcr.io/acme/web\n  tag: v2 # bumped by Shipline\n"
 * result.changes; // [{ editIndex: 0, documentIndex: 0, path: "image.tag", line: 3, previous: "v1", next: "v2", ... }]
 * ```
 */
export function applyEdits(options: ApplyEditsOptions): EditResult {
  const manifest = parseManifest(options.text);
  const splices = options.edits.flatMap((edit, editIndex) => planEdit(manifest, edit, editIndex));
  return applySplices(options.text, splices);
}

/**
 * Applies one edit intent to one YAML file; see {@link applyEdits}.
 *
 * @example
 * ```ts
 * const { text, changed } = applyEdit({
 *   text: kustomization,
 *   edit: { kind: "kustomize", name: "web", field: "newTag+digest", image: { tag: "v2", digest } },
 * });
 * ```
 */
export function applyEdit(options: { readonly text: string; readonly edit: ManifestEdit }): EditResult {
  return applyEdits({ text: options.text, edits: [options.edit] });
}

function planEdit(manifest: ParsedManifest, edit: ManifestEdit, editIndex: number): Splice[] {
  switch (edit.kind) {
    case "helm":
      return planHelmEdit(manifest, edit, editIndex);
    case "kustomize":
      return planKustomizeEdit(manifest, edit, editIndex);
    case "marker":
      return planMarkerEdit(manifest, edit, editIndex);
    case "chart-version":
      return planChartVersionEdit(manifest, edit, editIndex);
    case "scalar":
      return planScalarEdit(manifest, edit, editIndex);
  }
}
