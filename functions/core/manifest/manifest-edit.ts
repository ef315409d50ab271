import * as z from "zod";

/**
 * The image to write: any of repository, tag and digest. Which parts an edit needs depends on its
 * `field`; a missing part that the field needs, or an invalid one, is an `IMAGE_REF_INVALID` error.
 */
export const imageValue = z.strictObject({
  repository: z.string().optional(),
  tag: z.string().optional(),
  digest: z.string().optional(),
});

/** An {@link imageValue}. */
export type ImageValue = z.infer<typeof imageValue>;

/**
 * What a Helm edit writes. One part (`tag`, `digest`, `repository`): `path` names that scalar.
 * Several parts joined by `+`: `path` names the mapping holding them (under `keys`).
 * `reference`: `path` names a scalar holding a whole reference, `repository[:tag][@digest]`.
 */
export const HELM_FIELDS = [
  "tag",
  "digest",
  "repository",
  "repository+tag",
  "tag+digest",
  "repository+digest",
  "repository+tag+digest",
  "reference",
] as const;

/**
 * What a Kustomize edit sets on the `images[]` entry: `newName`, `newTag` and/or `digest`.
 * Kustomize uses the digest when an entry has both, so `newTag` alone on an entry that has a
 * digest is refused (`MANIFEST_DIGEST_PINNED`): use `newTag+digest` there.
 */
export const KUSTOMIZE_FIELDS = [
  "newTag",
  "digest",
  "newName",
  "newName+newTag",
  "newTag+digest",
  "newName+digest",
  "newName+newTag+digest",
] as const;

const documentIndex = z.number().int().nonnegative().optional();

/** Sets an image at a Helm values path (see {@link HELM_FIELDS} and `parseValuePath`). */
export const helmEdit = z.strictObject({
  kind: z.literal("helm"),
  path: z.string().min(1),
  field: z.enum(HELM_FIELDS),
  image: imageValue,
  /** Key names inside the mapping for multi-part fields; defaults `repository`, `tag`, `digest`. */
  keys: z
    .strictObject({ repository: z.string().min(1), tag: z.string().min(1), digest: z.string().min(1) })
    .partial()
    .optional(),
  /** The document of a multi-document file; by default the one document where the path exists. */
  documentIndex,
});

/** Sets `newName` / `newTag` / `digest` on the Kustomize `images[]` entry whose `name` matches. */
export const kustomizeEdit = z.strictObject({
  kind: z.literal("kustomize"),
  name: z.string().min(1),
  field: z.enum(KUSTOMIZE_FIELDS),
  image: imageValue,
  /** The document holding the kustomization; default 0. */
  documentIndex,
});

/** Sets every scalar marked for `marker` (a Flux `ns:policy` or a Shipline marker name); see `parseSetterMarker`. */
export const markerEdit = z.strictObject({
  kind: z.literal("marker"),
  marker: z.string().min(1),
  image: imageValue,
});

/** Sets a chart version (SemVer 2, optional leading `v`) at a value path, such as Argo CD's `spec.source.targetRevision`. */
export const chartVersionEdit = z.strictObject({
  kind: z.literal("chart-version"),
  path: z.string().min(1),
  version: z.string().min(1),
  documentIndex,
});

/**
 * Sets one scalar to a value (`null` writes a plain `null`). A rollback uses it to put back the
 * `previous` value of a recorded change, giving that change's `path`, `documentIndex` and, as
 * `expect`, its `next` value: when the file no longer holds `expect`, the edit is refused with
 * `MANIFEST_VALUE_CONFLICT` instead of overwriting a later change.
 */
export const scalarEdit = z.strictObject({
  kind: z.literal("scalar"),
  path: z.string().min(1),
  value: z.string().nullable(),
  expect: z.string().nullable().optional(),
  documentIndex,
});

/** One edit intent on one file. */
export const manifestEdit = z.discriminatedUnion("kind", [
  helmEdit,
  kustomizeEdit,
  markerEdit,
  chartVersionEdit,
  scalarEdit,
]);

/** A {@link helmEdit}. */
export type HelmEdit = z.infer<typeof helmEdit>;
/** A {@link kustomizeEdit}. */
export type KustomizeEdit = z.infer<typeof kustomizeEdit>;
/** A {@link markerEdit}. */
export type MarkerEdit = z.infer<typeof markerEdit>;
/** A {@link chartVersionEdit}. */
export type ChartVersionEdit = z.infer<typeof chartVersionEdit>;
/** A {@link scalarEdit}. */
export type ScalarEdit = z.infer<typeof scalarEdit>;
/** A {@link manifestEdit}. */
export type ManifestEdit = z.infer<typeof manifestEdit>;
/** One of {@link HELM_FIELDS}. */
export type HelmField = (typeof HELM_FIELDS)[number];
/** One of {@link KUSTOMIZE_FIELDS}. */
export type KustomizeField = (typeof KUSTOMIZE_FIELDS)[number];
