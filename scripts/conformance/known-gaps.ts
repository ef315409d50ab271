/** A documented handling Shipline does not implement yet, with the issue area it belongs to. */
export interface KnownGap {
  /** The issue area, e.g. `webhook: Bitbucket Server pushes`. */
  readonly area: string;
}

/** Real samples whose documented handling is not implemented yet, by file name. */
const SAMPLE_GAPS: readonly { readonly sample: RegExp; readonly gap: KnownGap }[] = [];

/**
 * Peer golden cases Shipline does not pass yet, by case name (`<peer>/<case>`), with the reason:
 * a FAIL of one of these is a known gap, any other FAIL is a regression.
 */
export const PEER_CASE_GAPS: ReadonlyMap<string, string> = new Map([
  [
    "argocd-image-updater/helm-values-registry-split-short-form",
    "manifest editing: a Helm image split into registry and repository keeps docker.io/ in the repository",
  ],
  [
    "kustomize/imagetag-new-digest-validdigest",
    "manifest editing: an image set by digest keeps its tag, the peer drops it",
  ],
  [
    "kustomize/imagetag-new-image-and-digest-validdigest",
    "manifest editing: an image set by digest keeps its tag, the peer drops it",
  ],
  ...[
    "set-image-01-image1-my-image1-my-tag",
    "set-image-02-image1-my-image1-1234",
    "set-image-03-image1-my-image1-3-2e2",
    "set-image-04-image1-my-image1-sha256-24a0c4b4a4c0eb97a1aabb8e",
    "set-image-05-image1-my-tag",
    "set-image-06-image1-sha256-24a0c4b4a4c0eb97a1aabb8e29f18e917d",
    "set-image-07-my-image1-my-tag-sha256-24a0c4b4a4c0eb97a1aabb8e",
    "set-image-08-image1-my-image1-my-tag-sha256-24a0c4b4a4c0eb97a",
    "set-image-09-image-image",
    "set-image-10-ngnix-localhost-5000-my-project-ngnix-dev-01",
    "set-image-18-do-not-set-asterisk-as-new-name",
    "set-image-19-do-not-set-asterisk-as-new-tag",
  ].map((id): [string, string] => [
    `kustomize/${id}`,
    "manifest editing: a new kustomization images list is indented, kustomize writes it flush",
  ]),
  [
    "kustomize/set-image-20-keep-new-name-and-update-digest",
    "manifest editing: kustomize writes an images entry's keys in alphabetical order, Shipline keeps the entry's order",
  ],
  [
    "kustomize/set-image-14-multiple-args-with-multiple-overrides",
    "manifest editing: a digest set on a kustomization image keeps its newTag, kustomize removes it",
  ],
  [
    "kustomize/set-image-21-keep-new-name-remove-tag-and-set-digest",
    "manifest editing: a digest set on a kustomization image keeps its newTag, kustomize removes it",
  ],
]);

/** The known gap a sample falls under, if any. */
export function knownGapOf(sampleFileName: string): KnownGap | undefined {
  return SAMPLE_GAPS.find(({ sample }) => sample.test(sampleFileName))?.gap;
}
