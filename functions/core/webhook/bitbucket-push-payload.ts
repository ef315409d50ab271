import * as z from "zod";
import type { PushedCommit } from "../contracts/events/commit-pushed.js";
import { ZERO_SHA } from "./git-ref.js";
import type { RefPush } from "./ref-push.js";
import { isoTimestampOf } from "./webhook-commit.js";

const bitbucketRefState = z.object({
  /** `branch` or `tag` for git (`named_branch` and `bookmark` were Mercurial's). */
  type: z.string(),
  name: z.string().min(1),
  /** The commit the ref points at (Bitbucket resolves annotated tags to their commit). */
  target: z.object({ hash: z.string() }),
});

const bitbucketCommit = z.object({
  hash: z.string(),
  message: z.string().nullish(),
  date: z.string().nullish(),
  author: z
    .object({
      /** `Name <email>` as in the commit. */
      raw: z.string().nullish(),
      user: z.object({ display_name: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

const bitbucketChange = z.object({
  /** The ref after the push; null when it was deleted. */
  new: bitbucketRefState.nullable(),
  /** The ref before the push; null when it was created. */
  old: bitbucketRefState.nullable(),
  forced: z.boolean().nullish(),
  /** Up to 5 of the most recent commits; `truncated` is set when there were more. */
  commits: z.array(bitbucketCommit).nullish(),
  truncated: z.boolean().nullish(),
});

/**
 * Bitbucket Cloud's `repo:push` payload (`X-Event-Key: repo:push`), only the fields Shipline reads.
 * One delivery may update several refs (`push.changes[]`). Bitbucket lists at most five commits per
 * ref and never the paths they changed, so every detail built from it has `pathsKnown: false`: path
 * filters then treat every path as changed (a build too many rather than one missed).
 */
export const bitbucketPushPayload = z.object({
  actor: z
    .object({
      nickname: z.string().nullish(),
      display_name: z.string().nullish(),
    })
    .nullish(),
  repository: z.object({
    name: z.string().min(1),
    full_name: z.string().min(1),
    links: z.object({ html: z.object({ href: z.string().min(1) }).nullish() }).nullish(),
  }),
  push: z.object({ changes: z.array(bitbucketChange) }),
});

/** A parsed Bitbucket Cloud push payload. */
export type BitbucketPushPayload = z.infer<typeof bitbucketPushPayload>;

const REF_PREFIX: Readonly<Record<string, string>> = { branch: "refs/heads/", tag: "refs/tags/" };

/**
 * Reduces a Bitbucket Cloud push payload to one ref update per change. A change whose ref is neither
 * a branch nor a tag gets a ref outside `refs/heads` and `refs/tags`, so that it is skipped with a
 * reason. The clone URL is the repository's web address with `.git`.
 *
 * @example
 * ```ts
 * const refPushes = refPushesOfBitbucket(parseWebhookPayload(bitbucketPushPayload, payload, "Bitbucket push payload"));
 * ```
 */
export function refPushesOfBitbucket(payload: BitbucketPushPayload): RefPush[] {
  const fullName = payload.repository.full_name;
  const web = payload.repository.links?.html?.href ?? `https://bitbucket.org/${fullName}`;
  const pusher = payload.actor?.nickname || payload.actor?.display_name || "unknown";
  return payload.push.changes.map((change) => {
    const state = change.new ?? change.old;
    const kind = state?.type ?? "unknown";
    const commits = (change.commits ?? []).map(pushedCommitOfBitbucket);
    return {
      provider: "bitbucket",
      host: "Bitbucket",
      repository: { name: fullName.slice(fullName.lastIndexOf("/") + 1), fullName, url: `${web}.git` },
      ref: `${REF_PREFIX[kind] ?? `refs/${kind}/`}${state?.name ?? ""}`,
      before: change.old?.target.hash,
      after: change.new?.target.hash ?? ZERO_SHA,
      forced: change.forced ?? false,
      commits,
      pathsListed: false,
      commitsTruncated: change.truncated ?? false,
      pusher: { name: pusher },
    };
  });
}

function pushedCommitOfBitbucket(commit: z.infer<typeof bitbucketCommit>): PushedCommit {
  const timestamp = isoTimestampOf(commit.date);
  const author = authorOf(commit.author?.raw, commit.author?.user?.display_name);
  return {
    id: commit.hash,
    message: commit.message ?? "",
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(author === undefined ? {} : { author }),
    added: [],
    modified: [],
    removed: [],
  };
}

function authorOf(
  raw: string | null | undefined,
  displayName: string | null | undefined,
): { name: string; email?: string } | undefined {
  const parsed = raw ? /^(.*?)\s*<([^<>]*)>\s*$/.exec(raw) : null;
  if (parsed?.[1] && parsed[2]) return { name: parsed[1], email: parsed[2] };
  const name = raw || displayName;
  return name ? { name } : undefined;
}
