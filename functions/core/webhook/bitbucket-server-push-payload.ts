import * as z from "zod";
import type { PushedCommit } from "../contracts/events/commit-pushed.js";
import { ZERO_SHA } from "./git-ref.js";
import type { RefPush } from "./ref-push.js";

const link = z.object({ href: z.string(), name: z.string().nullish() });

const bitbucketServerChange = z.object({
  /** The ref; `id` is the full ref (`refs/heads/main`), `type` is `BRANCH` or `TAG`. */
  ref: z.object({ id: z.string().nullish(), displayId: z.string().min(1), type: z.string() }),
  /** The full ref again (older versions send only this and `ref`). */
  refId: z.string().nullish(),
  /** The ref's commit before the push; zeros when the ref was created. */
  fromHash: z.string(),
  /** The ref's commit after the push; zeros when the ref was deleted. */
  toHash: z.string(),
  /** `ADD`, `UPDATE` or `DELETE`. */
  type: z.string(),
});

const bitbucketServerCommit = z.object({
  id: z.string(),
  message: z.string().nullish(),
  /** Milliseconds since the epoch. */
  authorTimestamp: z.number().nullish(),
  author: z.object({ name: z.string().nullish(), emailAddress: z.string().nullish() }).nullish(),
});

/**
 * The number of commits Bitbucket Data Center lists in a push at most, by default: a list that long
 * may have been cut.
 */
export const BITBUCKET_SERVER_COMMIT_LIMIT = 5;

/**
 * Bitbucket Server / Data Center's push payload (`X-Event-Key: repo:refs_changed`), only the fields
 * Shipline reads. One delivery may change several refs (`changes[]`). Versions 8 and later also list
 * up to five of the newest commits (`commits`), never the paths they changed; older versions list
 * none. So every detail built from it has `pathsKnown: false`, and `start-build` reads the changed
 * paths from the repository.
 */
export const bitbucketServerPushPayload = z.object({
  actor: z
    .object({
      name: z.string().nullish(),
      slug: z.string().nullish(),
      displayName: z.string().nullish(),
      emailAddress: z.string().nullish(),
    })
    .nullish(),
  repository: z.object({
    slug: z.string().min(1),
    name: z.string().nullish(),
    project: z.object({ key: z.string().min(1) }),
    links: z.object({ clone: z.array(link).nullish(), self: z.array(link).nullish() }).nullish(),
  }),
  changes: z.array(bitbucketServerChange),
  commits: z.array(bitbucketServerCommit).nullish(),
});

/** A parsed Bitbucket Server push payload. */
export type BitbucketServerPushPayload = z.infer<typeof bitbucketServerPushPayload>;

const REF_PREFIX: Readonly<Record<string, string>> = { BRANCH: "refs/heads/", TAG: "refs/tags/" };

/**
 * Reduces a Bitbucket Server / Data Center push payload to one ref update per change. The repository's
 * full name is `<project key>/<slug>` (the project key of a personal repository is `~<user>`). The
 * clone URL is the payload's `http` clone link; a payload without one (versions before 5.x sent no
 * links) gets the clone URL derived from the repository's own page link, or, with no link at all,
 * `bitbucket-server:<project key>/<slug>`, which names no app's repository, so such a push builds
 * nothing (the start-build log says so). A `DELETE` change is a deletion whatever its `toHash`. The
 * commits the payload lists are kept only when it changed a single ref, since they are not tied to
 * one; `commitsTruncated` is set when the list is as long as Bitbucket's limit.
 *
 * @example
 * ```ts
 * const refPushes = refPushesOfBitbucketServer(parseWebhookPayload(bitbucketServerPushPayload, payload, "Bitbucket Server push payload"));
 * ```
 */
export function refPushesOfBitbucketServer(payload: BitbucketServerPushPayload): RefPush[] {
  const { repository } = payload;
  const fullName = `${repository.project.key}/${repository.slug}`;
  const url = cloneUrlOf(payload);
  const actor = payload.actor;
  const pusher = {
    name: actor?.name || actor?.slug || actor?.displayName || "unknown",
    email: actor?.emailAddress || undefined,
  };
  const listed = payload.changes.length === 1 ? (payload.commits ?? []) : [];
  const commits = listed.map(pushedCommitOfBitbucketServer);
  return payload.changes.map((change) => ({
    provider: "bitbucket",
    host: "Bitbucket Server",
    repository: { name: repository.slug, fullName, url },
    ref: change.ref.id ?? change.refId ?? `${REF_PREFIX[change.ref.type] ?? "refs/"}${change.ref.displayId}`,
    before: change.fromHash,
    after: change.type === "DELETE" ? ZERO_SHA : change.toHash,
    forced: false,
    commits,
    pathsListed: false,
    commitsTruncated: commits.length >= BITBUCKET_SERVER_COMMIT_LIMIT,
    pusher,
  }));
}

function cloneUrlOf(payload: BitbucketServerPushPayload): string {
  const { repository } = payload;
  const links = repository.links;
  const http = links?.clone?.find((clone) => clone.name === "http" || clone.href.startsWith("https://"));
  if (http !== undefined) return http.href;
  const page = links?.self?.[0]?.href;
  // A repository's page is <base>/projects/<KEY>/repos/<slug>/browse (or <base>/users/<user>/...);
  // its clone URL is <base>/scm/<key>/<slug>.git, lower case.
  const base =
    page === undefined ? undefined : /^(https?:\/\/.+?)\/(?:projects|users)\/[^/]+\/repos\//.exec(page)?.[1];
  const fullName = `${repository.project.key}/${repository.slug}`;
  if (base !== undefined) return `${base}/scm/${fullName.toLowerCase()}.git`;
  return `bitbucket-server:${fullName}`;
}

function pushedCommitOfBitbucketServer(commit: z.infer<typeof bitbucketServerCommit>): PushedCommit {
  const time = commit.authorTimestamp;
  const name = commit.author?.name;
  const email = commit.author?.emailAddress;
  return {
    id: commit.id,
    message: commit.message ?? "",
    ...(time === undefined || time === null ? {} : { timestamp: new Date(time).toISOString() }),
    ...(name ? { author: email ? { name, email } : { name } } : {}),
    added: [],
    modified: [],
    removed: [],
  };
}
