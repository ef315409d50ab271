import { isScalar } from "yaml";
import { ShiplineError } from "../errors/shipline-error.js";
import { locatePath } from "./locate-path.js";
import type { ChartVersionEdit, ScalarEdit } from "./manifest-edit.js";
import type { ParsedManifest } from "./parse-manifest.js";
import { scalarSplice, scalarText } from "./scalar-splice.js";
import type { Splice } from "./splice.js";
import { assertChartVersion, assertScalarValue } from "./validate-values.js";
import { formatValuePath } from "./value-path.js";

/**
 * Plans a chart version edit: the scalar at `path` (such as Argo CD's
 * `spec.source.targetRevision` or a Helm `dependencies[name=redis].version`) becomes `version`.
 *
 * @example
 * ```ts
 * planChartVersionEdit(manifest, { kind: "chart-version", path: "spec.source.targetRevision", version: "1.5.0" }, 0);
 * ```
 */
export function planChartVersionEdit(
  manifest: ParsedManifest,
  edit: ChartVersionEdit,
  editIndex: number,
): Splice[] {
  assertChartVersion(edit.version);
  const located = locatePath(manifest, edit.path, edit.documentIndex);
  const splice = scalarSplice(manifest, located, edit.version, editIndex);
  return splice ? [splice] : [];
}

/**
 * Plans a `scalar` edit: the scalar at `path` becomes `value`, provided it still holds `expect`
 * when that is given (else `MANIFEST_VALUE_CONFLICT`, which is permanent: a later change owns the value).
 *
 * @example
 * ```ts
 * planScalarEdit(manifest, { kind: "scalar", path: "image.tag", value: "v1", expect: "v2" }, 0);
 * ```
 */
export function planScalarEdit(manifest: ParsedManifest, edit: ScalarEdit, editIndex: number): Splice[] {
  assertScalarValue(edit.value, edit.path);
  const located = locatePath(manifest, edit.path, edit.documentIndex);
  if (edit.expect !== undefined && isScalar(located.node)) {
    const current = scalarText(located.node);
    if (current !== edit.expect) {
      const path = formatValuePath(located.canonical);
      throw new ShiplineError({
        code: "MANIFEST_VALUE_CONFLICT",
        message: `value path "${path}" in document ${located.documentIndex} holds ${JSON.stringify(current)}, not the expected ${JSON.stringify(edit.expect)}: a later change set it; resolve by hand or write a new edit`,
        data: { path, documentIndex: located.documentIndex, current, expect: edit.expect },
      });
    }
  }
  const splice = scalarSplice(manifest, located, edit.value, editIndex);
  return splice ? [splice] : [];
}
