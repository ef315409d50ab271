import * as z from "zod";
import { detailBase } from "../detail-base.js";
import { gitSha, isoTime } from "../primitives.js";

/** Git hosts whose pushes Shipline understands. */
export const GIT_PROVIDERS = ["github", "gitlab", "bitbucket", "gitea", "codecommit"] as const;

/** One commit of a push, with the paths it changed. */
export const pushedCommit = z.object({
  id: gitSha,
  message: z.string(),
  timestamp: isoTime.optional(),
  author: z.object({ name: z.string(), email: z.string().optional() }).optional(),
  added: z.array(z.string()).default([]),
  modified: z.array(z.string()).default([]),
  removed: z.array(z.string()).default([]),
});

/** A commit of a push. */
export type PushedCommit = z.infer<typeof pushedCommit>;

/**
 * What was read from a push's repository because the host lists no paths: the paths that differ
 * between `before` and `after` (once each), or why they could not be read.
 */
export const repositoryPaths = z.union([
  z.object({ paths: z.array(z.string()) }),
  z.object({ unreadable: z.string().min(1) }),
]);

/** The paths read from a push's repository, or why they could not be read. */
export type RepositoryPaths = z.infer<typeof repositoryPaths>;

/**
 * `Commit Pushed`: a push normalised from any git host. `commit` is the new head (`after`);
 * `app` is null because apps are selected from it by `start-build`.
 */
export const commitPushedDetail = detailBase.extend({
  app: z.null(),
  provider: z.enum(GIT_PROVIDERS),
  repository: z.object({
    name: z.string().min(1),
    fullName: z.string().min(1),
    url: z.string().min(1),
  }),
  ref: z.string().startsWith("refs/"),
  refType: z.enum(["branch", "tag"]),
  refName: z.string().min(1),
  before: gitSha.or(z.literal("0".repeat(40))),
  after: gitSha,
  forced: z.boolean().default(false),
  commits: z.array(pushedCommit),
  /** True when the host sent fewer commits than were pushed (the changed paths are then incomplete). */
  commitsTruncated: z.boolean().default(false),
  /**
   * False when `commits` does not tell every path the push changed: the host does not report paths
   * (Bitbucket Cloud, CodeCommit), sent fewer commits than were pushed, the ref is new (no base to
   * compare with), or the push was forced or rewound. Path filters must then treat every path as changed.
   */
  pathsKnown: z.boolean().default(true),
  pusher: z.object({ name: z.string(), email: z.string().optional() }),
  deliveryId: z.string().min(1),
  /**
   * Every path the push changed, once each, when `commits` had to be shortened to keep the event
   * within EventBridge's 256 KB (see `commitsOmitted`); absent when `commits` lists them all.
   */
  changedPaths: z.array(z.string()).optional(),
  /** How many of the host's commits were left out of `commits` to keep the event small. */
  commitsOmitted: z.number().int().nonnegative().optional(),
  /**
   * The changed paths the webhook read from the repository of a push that lists none (CodeCommit's
   * `GetDifferences`), or why they could not be read; `start-build` takes them instead of reading
   * them itself. Absent when nothing was read (other hosts, a tag, a new branch, a repository no app
   * filters by path).
   */
  repositoryPaths: repositoryPaths.optional(),
});

/** Detail of `Commit Pushed`. */
export type CommitPushed = z.infer<typeof commitPushedDetail>;
