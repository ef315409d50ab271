import * as z from "zod";
import type { PushedCommit } from "../contracts/events/commit-pushed.js";
import { isoTime } from "../contracts/primitives.js";

/**
 * A commit as GitHub, GitLab, Gitea and Forgejo list it in a push payload (only the fields Shipline
 * reads; others are accepted and dropped). The path lists are optional because older Gitea versions
 * and some mirrors leave them out; a commit without them makes the push's paths unknown.
 */
export const webhookCommit = z.object({
  id: z.string(),
  message: z.string().nullish(),
  timestamp: z.string().nullish(),
  author: z
    .object({ name: z.string().nullish(), email: z.string().nullish(), username: z.string().nullish() })
    .nullish(),
  added: z.array(z.string()).nullish(),
  modified: z.array(z.string()).nullish(),
  removed: z.array(z.string()).nullish(),
});

/** A commit of a GitHub-like push payload. */
export type WebhookCommit = z.infer<typeof webhookCommit>;

/**
 * Maps a payload commit onto the `Commit Pushed` contract.
 *
 * @example
 * ```ts
 * const commits = payload.commits.map(pushedCommitOf);
 * ```
 */
export function pushedCommitOf(commit: WebhookCommit): PushedCommit {
  const name = commit.author?.name ?? commit.author?.username ?? undefined;
  const timestamp = isoTimestampOf(commit.timestamp);
  return {
    id: commit.id,
    message: commit.message ?? "",
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(name === undefined ? {} : { author: authorOf(name, commit.author?.email ?? undefined) }),
    added: commit.added ?? [],
    modified: commit.modified ?? [],
    removed: commit.removed ?? [],
  };
}

/**
 * Tells whether a payload commit lists its changed paths (all three lists present).
 *
 * @example
 * ```ts
 * const pathsListed = payload.commits.every(listsPaths);
 * ```
 */
export function listsPaths(commit: WebhookCommit): boolean {
  return Array.isArray(commit.added) && Array.isArray(commit.modified) && Array.isArray(commit.removed);
}

/**
 * A host's commit time as an ISO-8601 timestamp with a zone: kept as sent when it already is one,
 * converted to UTC when it is another date form `Date` reads, dropped when it is not a date.
 *
 * @example
 * ```ts
 * isoTimestampOf("2018-06-29T19:34:13+05:30"); // unchanged
 * isoTimestampOf("2012-05-30 04:07:03+00:00"); // "2012-05-30T04:07:03.000Z"
 * ```
 */
export function isoTimestampOf(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isoTime.safeParse(value).success) return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function authorOf(name: string, email: string | undefined): { name: string; email?: string } {
  return email === undefined || email === "" ? { name } : { name, email };
}
