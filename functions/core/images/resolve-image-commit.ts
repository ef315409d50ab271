import { gitSha } from "../contracts/primitives.js";
import { parseTagBack } from "../tag-template.js";
import { REVISION_LABEL } from "./image-labels.js";

/** How the source commit of an image was found (the `commitFrom` of `Image Pushed`). */
export type CommitSource = "revision-label" | "tag-template";

/** What {@link resolveImageCommit} found. */
export type ImageCommit =
  | {
      readonly kind: "found";
      /** The full source commit. */
      readonly commit: string;
      readonly from: CommitSource;
      /** The tag to announce the image under: one that fits the template and the commit when there is one. */
      readonly tag: string;
    }
  | {
      readonly kind: "unknown";
      /** Why no commit could be told, and how an image could carry one. */
      readonly reason: string;
    };

/** Options of {@link resolveImageCommit}. */
export interface ResolveImageCommitOptions {
  /** The image's config labels, when they could be read. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The image's tags (the pushed tag first); an untagged image is never announced. */
  readonly tags: readonly string[];
  /** The app's tag template, e.g. `{version}-{sha7}`. */
  readonly tagTemplate: string;
}

/**
 * Finds the source commit of a pushed image: the `org.opencontainers.image.revision` label when it
 * holds a full commit sha, else the `{sha}` recovered from a tag with the app's tag template
 * (`parseTagBack`). A tag that only gives `{sha7}` cannot name a commit on its own, and tags that
 * disagree name none; such an image is `unknown`, with a reason, rather than an error: Shipline
 * only announces images whose commit it can prove.
 *
 * @example
 * ```ts
 * resolveImageCommit({ labels: { "org.opencontainers.image.revision": sha }, tags: ["1.4.0-0123456"], tagTemplate: "{version}-{sha7}" });
 * // { kind: "found", commit: sha, from: "revision-label", tag: "1.4.0-0123456" }
 * ```
 */
export function resolveImageCommit(options: ResolveImageCommitOptions): ImageCommit {
  const { labels, tags, tagTemplate } = options;
  const firstTag = tags[0];
  if (firstTag === undefined) {
    return {
      kind: "unknown",
      reason:
        "the image has no tag (a push by digest, such as one platform of a multi-platform image); " +
        "Shipline announces the tagged image that references it",
    };
  }
  const revision = labels?.[REVISION_LABEL]?.trim().toLowerCase();
  if (revision !== undefined && gitSha.safeParse(revision).success) {
    const matching = tags.find((tag) => fitsCommit(tagTemplate, tag, revision));
    return { kind: "found", commit: revision, from: "revision-label", tag: matching ?? firstTag };
  }
  const fromTags = tags.flatMap((tag) => {
    const parts = parseTagBack(tagTemplate, tag);
    return parts ? [{ tag, parts }] : [];
  });
  const commits = new Set(fromTags.flatMap(({ parts }) => (parts.sha === undefined ? [] : [parts.sha])));
  const [only] = commits;
  if (commits.size === 1 && only !== undefined) {
    const tag = fromTags.find(({ parts }) => parts.sha === only)?.tag ?? firstTag;
    return { kind: "found", commit: only, from: "tag-template", tag };
  }
  return { kind: "unknown", reason: unknownReason({ revision, tags, tagTemplate, commits, fromTags }) };
}

function fitsCommit(template: string, tag: string, commit: string): boolean {
  const parts = parseTagBack(template, tag);
  if (!parts) return false;
  return parts.sha === undefined ? commit.startsWith(parts.sha7) : parts.sha === commit;
}

function unknownReason(facts: {
  readonly revision: string | undefined;
  readonly tags: readonly string[];
  readonly tagTemplate: string;
  readonly commits: ReadonlySet<string>;
  readonly fromTags: readonly { readonly tag: string }[];
}): string {
  const label =
    facts.revision === undefined
      ? `the image has no ${REVISION_LABEL} label`
      : `its ${REVISION_LABEL} label '${facts.revision}' is not a full commit sha`;
  const list = facts.tags.map((tag) => `'${tag}'`).join(", ");
  const tags =
    facts.commits.size > 1
      ? `its tags ${list} name different commits`
      : facts.fromTags.length > 0
        ? `its tag ${list} fits the template '${facts.tagTemplate}' but gives only a short sha`
        : `its tag ${list} does not fit the template '${facts.tagTemplate}'`;
  return `${label} and ${tags}; label the image with ${REVISION_LABEL}=<full commit sha> (Shipline's builds do) or use a tag template with {sha}`;
}
