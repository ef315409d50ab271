import * as z from "zod";
import type { RefPush } from "./ref-push.js";
import { listsPaths, pushedCommitOf, webhookCommit } from "./webhook-commit.js";

/**
 * GitLab's Push Hook and Tag Push Hook payload (`object_kind` `push` or `tag_push`), only the fields
 * Shipline reads. GitLab lists at most 20 commits and tells the real number in `total_commits_count`;
 * for a tag, `checkout_sha` is the tagged commit.
 */
export const gitlabPushPayload = z.object({
  object_kind: z.enum(["push", "tag_push"]),
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  checkout_sha: z.string().nullish(),
  user_name: z.string().nullish(),
  user_username: z.string().nullish(),
  user_email: z.string().nullish(),
  project: z.object({
    name: z.string().min(1),
    path_with_namespace: z.string().min(1),
    web_url: z.string().min(1),
    git_http_url: z.string().nullish(),
  }),
  commits: z.array(webhookCommit).nullish(),
  total_commits_count: z.number().int().nonnegative().nullish(),
});

/** A parsed GitLab push payload. */
export type GitlabPushPayload = z.infer<typeof gitlabPushPayload>;

/**
 * Reduces a GitLab push or tag push payload to its ref update. The repository name is the last
 * segment of `path_with_namespace` (the slug, not the display name).
 *
 * @example
 * ```ts
 * const refPush = refPushOfGitlab(parseWebhookPayload(gitlabPushPayload, payload, "GitLab push payload"));
 * ```
 */
export function refPushOfGitlab(payload: GitlabPushPayload): RefPush {
  const commits = payload.commits ?? [];
  const fullName = payload.project.path_with_namespace;
  const email = payload.user_email;
  return {
    provider: "gitlab",
    host: "GitLab",
    repository: {
      name: fullName.slice(fullName.lastIndexOf("/") + 1),
      fullName,
      url: payload.project.git_http_url ?? `${payload.project.web_url}.git`,
    },
    ref: payload.ref,
    before: payload.before,
    after: payload.after,
    taggedCommit: payload.checkout_sha,
    forced: false,
    commits: commits.map(pushedCommitOf),
    pathsListed: commits.every(listsPaths),
    commitsTruncated: (payload.total_commits_count ?? commits.length) > commits.length,
    pusher: {
      name: payload.user_username || payload.user_name || "unknown",
      // GitLab sends "[REDACTED]" when the user hides their email.
      email: email && email !== "[REDACTED]" ? email : undefined,
    },
  };
}
