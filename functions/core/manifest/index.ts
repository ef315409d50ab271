export { type ApplyEditsOptions, applyEdit, applyEdits } from "./apply-edits.js";
export { assertRepoPath } from "./assert-repo-path.js";
export type { EditResult, ManifestChange, ScalarStyle } from "./edit-result.js";
export {
  formatImageReference,
  type ImageReference,
  parseImageReference,
  updateImageReference,
} from "./image-reference.js";
export {
  type ChartVersionEdit,
  chartVersionEdit,
  HELM_FIELDS,
  type HelmEdit,
  type HelmField,
  helmEdit,
  type ImageValue,
  imageValue,
  KUSTOMIZE_FIELDS,
  type KustomizeEdit,
  type KustomizeField,
  kustomizeEdit,
  type ManifestEdit,
  type MarkerEdit,
  manifestEdit,
  markerEdit,
  type ScalarEdit,
  scalarEdit,
} from "./manifest-edit.js";
export { isPlainSafe } from "./plain-scalar.js";
export { readHelmImage, readKustomizeImages } from "./read-workload-image.js";
export { type MarkerField, parseSetterMarker, type SetterMarker } from "./setter-marker.js";
export {
  assertChartVersion,
  assertImageParts,
  assertScalarValue,
  type ImagePart,
} from "./validate-values.js";
export { formatValuePath, type PathSegment, parseValuePath } from "./value-path.js";
