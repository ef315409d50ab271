import {
  type CommitPushed,
  commitPushedDetail,
  type PushedCommit,
} from "../contracts/events/commit-pushed.js";
import { gitSha } from "../contracts/primitives.js";
import { fitCommitPushed } from "./fit-commit-pushed.js";
import { isZeroSha, parseGitRef, ZERO_SHA } from "./git-ref.js";
import { parseWebhookPayload } from "./parse-webhook-payload.js";
import { refFormatProblem } from "./ref-format-problem.js";
import type { GitProvider } from "./webhook-classification.js";

/** One ref update of a push, as every host's payload is first reduced to. */
export interface RefPush {
  /** The git host. */
  readonly provider: GitProvider;
  /** The host's name for messages, e.g. `GitHub`. */
  readonly host: string;
  /** The repository; `url` is its HTTPS clone URL. */
  readonly repository: { readonly name: string; readonly fullName: string; readonly url: string };
  /** The full ref, e.g. `refs/heads/main`. */
  readonly ref: string;
  /** The ref's previous object id; absent or zeros when the ref is new. */
  readonly before: string | null | undefined;
  /** The ref's new object id; zeros when the ref was deleted. */
  readonly after: string;
  /** The commit a tag points at, when the host tells it (for an annotated tag `after` is the tag object). */
  readonly taggedCommit?: string | null | undefined;
  /** True when the update was not a fast-forward. */
  readonly forced: boolean;
  /** The commits the host listed. */
  readonly commits: readonly PushedCommit[];
  /** True when the host listed the changed paths of every commit it sent. */
  readonly pathsListed: boolean;
  /** True when the host sent fewer commits than were pushed. */
  readonly commitsTruncated: boolean;
  /** Who pushed. */
  readonly pusher: { readonly name: string; readonly email?: string | undefined };
}

/** The ids that tie a detail to its delivery. */
export interface DeliveryIds {
  /** The host's delivery id. */
  readonly deliveryId: string;
  /** The correlation id of the journey that starts here. */
  readonly correlationId: string;
}

/** A ref update that becomes a `Commit Pushed`, or the reason it does not. */
export type RefPushOutcome =
  | { readonly detail: CommitPushed }
  | { readonly skipped: string }
  /** A ref name git itself refuses: the request is refused, nothing is published. */
  | { readonly invalid: string };

/**
 * Turns one ref update into a `Commit Pushed` detail, checked against the contract and kept within
 * EventBridge's size (see `fitCommitPushed`). A ref name git refuses is `invalid`; a deleted ref or
 * a ref that is neither a branch nor a tag gives the reason it is skipped instead. `commit` is `after`,
 * except for a tag whose host names the tagged commit (so that an annotated tag builds its commit).
 * `pathsKnown` is true only when the listed commits tell every changed path: the host listed them
 * all, with paths, and the update is neither new nor forced.
 *
 * @example
 * ```ts
 * const outcome = commitPushedOf(refPush, { deliveryId, correlationId: `github:${deliveryId}` });
 * if ("skipped" in outcome) log(outcome.skipped);
 * ```
 */
export function commitPushedOf(push: RefPush, delivery: DeliveryIds): RefPushOutcome {
  const problem = refFormatProblem(push.ref);
  if (problem !== undefined) {
    return {
      invalid: `${push.host} push names the ref ${JSON.stringify(push.ref)}, which git refuses: ${problem} (git check-ref-format); nothing was published`,
    };
  }
  const gitRef = parseGitRef(push.ref);
  if (gitRef === undefined) {
    return { skipped: `${push.host} push to ${push.ref} is neither a branch nor a tag; nothing to build` };
  }
  if (isZeroSha(push.after)) {
    return { skipped: `${push.host} ${gitRef.refType} '${gitRef.refName}' was deleted; nothing to build` };
  }
  const created = isZeroSha(push.before);
  const tagged = push.taggedCommit ?? undefined;
  const commit =
    gitRef.refType === "tag" && tagged !== undefined && gitSha.safeParse(tagged).success
      ? tagged
      : push.after;
  const pathsKnown =
    push.pathsListed && !push.commitsTruncated && !created && !push.forced && push.commits.length > 0;
  const detail = parseWebhookPayload(
    commitPushedDetail,
    {
      app: null,
      commit,
      correlationId: delivery.correlationId,
      provider: push.provider,
      repository: push.repository,
      ref: push.ref,
      refType: gitRef.refType,
      refName: gitRef.refName,
      before: created ? ZERO_SHA : push.before,
      after: push.after,
      forced: push.forced,
      commits: push.commits,
      commitsTruncated: push.commitsTruncated,
      pathsKnown,
      pusher: push.pusher.email
        ? { name: push.pusher.name, email: push.pusher.email }
        : { name: push.pusher.name },
      deliveryId: delivery.deliveryId,
    },
    `${push.host} push of ${push.ref}`,
  );
  return { detail: fitCommitPushed(detail) };
}
