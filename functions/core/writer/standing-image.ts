import { type IntentTrailerBlock, TRAILER_KEYS } from "./commit-message.js";
import type { IntentPlan } from "./plan-batch.js";
import { readTargetImage } from "./read-target-image.js";
import type { WriteIntent } from "./write-intent.js";

/** The image a deploy target holds after a commit: a tag, and its digest where it is known. */
export interface StandingImage {
  readonly tag: string;
  readonly digest?: string;
}

/** The tag reported when a target's value cannot be read back (it holds no tag Shipline can name). */
export const UNKNOWN_TAG = "unknown";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The image each revert of a batch leaves in its target: read from the file as the commit leaves
 * it (DESIGN §7: a revert deploys the image it restores, not the one it took out). A target that
 * holds only a tag gets the digest Shipline wrote with that tag before, from the trailers of recent
 * config commits (`Image-Tag` / `Image-Digest` of the same app). Updates are not listed: they
 * stand as their intent says.
 *
 * @example
 * ```ts
 * const standing = standingImages({ intents: plan.intents, texts, history });
 * standing.get(revert.intentId); // { tag: "1.0.0-0123456", digest: "sha256:…" }
 * ```
 */
export function standingImages(options: {
  readonly intents: readonly IntentPlan[];
  /** Every target file's text as the commit leaves it. */
  readonly texts: ReadonlyMap<string, string | undefined>;
  /** Intent trailer blocks of recent config commits, newest first. */
  readonly history: readonly IntentTrailerBlock[];
}): Map<string, StandingImage> {
  const standing = new Map<string, StandingImage>();
  for (const entry of options.intents) {
    const { intent } = entry;
    if (intent.kind !== "revert" || entry.status === "failed") continue;
    standing.set(
      intent.intentId,
      imageInTarget(intent, options.texts.get(intent.target.file), options.history),
    );
  }
  return standing;
}

/**
 * The image a revert's target holds in a file's text: read back from the file, its digest from
 * recent trailers when the file holds a tag alone (see {@link standingImages}).
 *
 * @example
 * ```ts
 * imageInTarget(intent, await repo.readFile({ path: intent.target.file, commit }), history);
 * ```
 */
export function imageInTarget(
  intent: WriteIntent,
  text: string | undefined,
  history: readonly IntentTrailerBlock[],
): StandingImage {
  if (text === undefined) return { tag: UNKNOWN_TAG };
  let found: ReturnType<typeof readTargetImage>;
  try {
    found = readTargetImage({ target: intent.target, app: intent.app, text });
  } catch {
    // The revert was applied to this very text, so the target is readable; a failure here only
    // means its value has no image shape Shipline can name.
    return { tag: UNKNOWN_TAG };
  }
  const known = knownImage(history, intent.app, found?.tag, found?.digest);
  const tag = found?.tag ?? known?.tag ?? UNKNOWN_TAG;
  const digest = found?.digest ?? known?.digest;
  return digest === undefined ? { tag } : { tag, digest };
}

/**
 * The image Shipline wrote for an app with this tag or digest, from recent config commits'
 * trailers (newest first), so a value read back from a file (often a tag alone) gets its digest.
 *
 * @example
 * ```ts
 * knownImage(history, "demo", "1.0.0-0123456", undefined); // { tag: "1.0.0-0123456", digest: "sha256:…", sourceCommit: "0123456…", correlationId: "…" }
 * ```
 */
export function knownImage(
  history: readonly IntentTrailerBlock[],
  app: string,
  tag: string | undefined,
  digest: string | undefined,
):
  | {
      readonly tag: string;
      readonly digest?: string;
      readonly sourceCommit?: string;
      readonly correlationId?: string;
    }
  | undefined {
  if (tag === undefined && digest === undefined) return undefined;
  // A revert's block names the image it restored beside the failed journey's source commit: it
  // tells a digest, but the source commit comes from the update that first wrote the image.
  const matches = (candidate: IntentTrailerBlock) =>
    candidate.get(TRAILER_KEYS.app) === app &&
    (digest === undefined
      ? candidate.get(TRAILER_KEYS.imageTag) === tag
      : candidate.get(TRAILER_KEYS.imageDigest) === digest);
  const block =
    history.find((candidate) => matches(candidate) && !candidate.has(TRAILER_KEYS.reverts)) ??
    history.find(matches);
  const fromUpdate = block !== undefined && !block.has(TRAILER_KEYS.reverts);
  const blockTag = block?.get(TRAILER_KEYS.imageTag);
  const blockDigest = block?.get(TRAILER_KEYS.imageDigest);
  const resolvedTag = tag ?? blockTag;
  if (resolvedTag === undefined) return undefined;
  const resolvedDigest =
    digest ?? (blockDigest !== undefined && DIGEST.test(blockDigest) ? blockDigest : undefined);
  const sourceCommit = fromUpdate ? block?.get(TRAILER_KEYS.sourceCommit) : undefined;
  const correlationId = fromUpdate ? block?.get(TRAILER_KEYS.correlationId) : undefined;
  return {
    tag: resolvedTag,
    ...(resolvedDigest === undefined ? {} : { digest: resolvedDigest }),
    ...(sourceCommit === undefined ? {} : { sourceCommit }),
    ...(correlationId === undefined ? {} : { correlationId }),
  };
}

/**
 * The intent as its commit records it: a revert's trailers and subject name the image it restores
 * (what now stands in the target), with the image it took out kept in `Shipline-Reverts`' commit.
 *
 * @example
 * ```ts
 * renderCommitMessage({ intents: carried.map((intent) => asWritten(intent, standing.get(intent.intentId))) });
 * ```
 */
export function asWritten(intent: WriteIntent, standing: StandingImage | undefined): WriteIntent {
  // Without the restored digest the trailers would pair its tag with the failed image's digest.
  if (standing?.digest === undefined || intent.kind !== "revert") return intent;
  return { ...intent, image: { ...intent.image, tag: standing.tag, digest: standing.digest } };
}
