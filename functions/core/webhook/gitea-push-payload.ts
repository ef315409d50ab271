import * as z from "zod";
import type { RefPush } from "./ref-push.js";
import { listsPaths, pushedCommitOf, webhookCommit } from "./webhook-commit.js";

/**
 * Gitea's and Forgejo's `push` payload (`X-Gitea-Event: push` / `X-Forgejo-Event: push`), GitHub-like
 * but with a user object as `pusher` and `total_commits` telling how many commits were pushed (the
 * `commits` list is capped). Old Gitea versions also put the webhook secret in the body as `secret`:
 * it is not read and does not survive parsing.
 */
export const giteaPushPayload = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  commits: z.array(webhookCommit).nullish(),
  total_commits: z.number().int().nonnegative().nullish(),
  head_commit: z.object({ id: z.string() }).nullish(),
  repository: z.object({
    name: z.string().min(1),
    full_name: z.string().min(1),
    html_url: z.string().min(1),
    clone_url: z.string().nullish(),
  }),
  pusher: z.object({
    login: z.string().nullish(),
    username: z.string().nullish(),
    full_name: z.string().nullish(),
    email: z.string().nullish(),
  }),
});

/** A parsed Gitea or Forgejo push payload. */
export type GiteaPushPayload = z.infer<typeof giteaPushPayload>;

/**
 * Reduces a Gitea or Forgejo push payload to its ref update. Forgejo is reported as provider `gitea`
 * (its payloads and signatures are Gitea's); `host` names the one that sent it.
 *
 * @example
 * ```ts
 * const refPush = refPushOfGitea(parseWebhookPayload(giteaPushPayload, payload, "Gitea push payload"), "Gitea");
 * ```
 */
export function refPushOfGitea(payload: GiteaPushPayload, host: "Gitea" | "Forgejo"): RefPush {
  const commits = payload.commits ?? [];
  const pusher = payload.pusher;
  return {
    provider: "gitea",
    host,
    repository: {
      name: payload.repository.name,
      fullName: payload.repository.full_name,
      url: payload.repository.clone_url ?? `${payload.repository.html_url}.git`,
    },
    ref: payload.ref,
    before: payload.before,
    after: payload.after,
    taggedCommit: payload.head_commit?.id,
    forced: false,
    commits: commits.map(pushedCommitOf),
    pathsListed: commits.every(listsPaths),
    commitsTruncated: (payload.total_commits ?? commits.length) > commits.length,
    pusher: {
      name: pusher.login || pusher.username || pusher.full_name || "unknown",
      email: pusher.email || undefined,
    },
  };
}
