import * as z from "zod";
import type { RefPush } from "./ref-push.js";
import { listsPaths, pushedCommitOf, webhookCommit } from "./webhook-commit.js";

/**
 * The most commits GitHub lists in a push delivery; a list this long may have been cut, so the
 * push's paths are then treated as unknown.
 */
export const GITHUB_COMMIT_LIMIT = 2048;

/**
 * GitHub's `push` payload (`X-GitHub-Event: push`), only the fields Shipline reads; anything else is
 * accepted and dropped. One delivery describes one ref.
 */
export const githubPushPayload = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  forced: z.boolean().nullish(),
  commits: z.array(webhookCommit).nullish(),
  /** For a tag this is the tagged commit, which differs from `after` for an annotated tag. */
  head_commit: z.object({ id: z.string() }).nullish(),
  repository: z.object({
    name: z.string().min(1),
    full_name: z.string().min(1),
    html_url: z.string().min(1),
    clone_url: z.string().nullish(),
  }),
  pusher: z.object({ name: z.string(), email: z.string().nullish() }),
});

/** A parsed GitHub push payload. */
export type GithubPushPayload = z.infer<typeof githubPushPayload>;

/**
 * Reduces a GitHub push payload to its ref update.
 *
 * @example
 * ```ts
 * const refPush = refPushOfGithub(parseWebhookPayload(githubPushPayload, payload, "GitHub push payload"));
 * ```
 */
export function refPushOfGithub(payload: GithubPushPayload): RefPush {
  const commits = payload.commits ?? [];
  return {
    provider: "github",
    host: "GitHub",
    repository: {
      name: payload.repository.name,
      fullName: payload.repository.full_name,
      url: payload.repository.clone_url ?? `${payload.repository.html_url}.git`,
    },
    ref: payload.ref,
    before: payload.before,
    after: payload.after,
    taggedCommit: payload.head_commit?.id,
    forced: payload.forced ?? false,
    commits: commits.map(pushedCommitOf),
    pathsListed: commits.every(listsPaths),
    commitsTruncated: commits.length >= GITHUB_COMMIT_LIMIT,
    pusher: { name: payload.pusher.name, email: payload.pusher.email ?? undefined },
  };
}
