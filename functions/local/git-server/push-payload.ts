import { createHash } from "node:crypto";
import type { RefUpdate } from "./post-receive-hook.js";
import {
  type CommitDetails,
  isForcedUpdate,
  listPushedCommits,
  peelToCommit,
  readCommit,
} from "./push-commits.js";
import type { LocalRepository } from "./repository-store.js";

const ZERO_SHA = /^0+$/;

/** Who pushed, as the token exchange identified them. */
export interface Pusher {
  /** The token's subject, e.g. a role ARN. */
  readonly subject: string;
}

/** Options for {@link buildPushPayload}. */
export interface BuildPushPayloadOptions {
  readonly repository: LocalRepository;
  readonly update: RefUpdate;
  readonly pusher: Pusher;
  /** Base URL of the git server, without a trailing `/`. */
  readonly baseUrl: string;
  /** True when anyone may clone (GitHub's `private: false`). */
  readonly public: boolean;
  /** Most commits listed (GitHub lists at most 2048). */
  readonly maxCommits: number;
  /** When the push happened. */
  readonly pushedAt: Date;
}

/**
 * Builds the GitHub `push` webhook payload of one ref update: `ref`, `before`, `after`, `created`,
 * `deleted`, `forced`, `base_ref`, `compare`, `commits` (oldest first, with added / modified / removed
 * paths), `head_commit`, `repository`, `pusher` and `sender`, read from the repository with git.
 *
 * @example
 * ```ts
 * const payload = await buildPushPayload({ repository, update, pusher: { subject }, baseUrl, public: true, maxCommits: 2048, pushedAt: new Date() });
 * ```
 */
export async function buildPushPayload(options: BuildPushPayloadOptions): Promise<Record<string, unknown>> {
  const { repository, update, baseUrl } = options;
  const gitDir = repository.gitDir;
  const htmlUrl = `${baseUrl}/${repository.fullName}`;
  const created = ZERO_SHA.test(update.before);
  const deleted = ZERO_SHA.test(update.after);
  const headId = deleted ? undefined : await peelToCommit({ gitDir, id: update.after });
  const beforeCommit = created ? undefined : await peelToCommit({ gitDir, id: update.before });
  const forced =
    !created && !deleted && headId !== undefined && beforeCommit !== undefined
      ? await isForcedUpdate({ gitDir, before: beforeCommit, after: headId })
      : false;
  const listed =
    headId === undefined
      ? { ids: [], distinct: new Set<string>(), truncated: false }
      : await listPushedCommits({
          gitDir,
          ref: update.ref,
          before: beforeCommit,
          after: headId,
          limit: options.maxCommits,
        });
  const commits = await Promise.all(listed.ids.map((id) => readCommit({ gitDir, id })));
  const head =
    headId === undefined
      ? undefined
      : (commits.find((c) => c.id === headId) ?? (await readCommit({ gitDir, id: headId })));
  const toJson = (commit: CommitDetails) => commitJson(commit, htmlUrl, listed.distinct.has(commit.id));
  const sender = senderJson(options.pusher.subject);
  return {
    ref: update.ref,
    before: update.before,
    after: update.after,
    repository: repositoryJson(options, htmlUrl),
    pusher: { name: options.pusher.subject, email: `${sender.login}@noreply.localhost` },
    sender,
    created,
    deleted,
    forced,
    base_ref: null,
    compare: compareUrl(htmlUrl, update, created),
    commits: commits.map(toJson),
    head_commit: head === undefined ? null : toJson(head),
  };
}

function commitJson(commit: CommitDetails, htmlUrl: string, distinct: boolean): Record<string, unknown> {
  return {
    id: commit.id,
    tree_id: commit.treeId,
    distinct,
    message: commit.message,
    timestamp: commit.timestamp,
    url: `${htmlUrl}/commit/${commit.id}`,
    author: { ...commit.author },
    committer: { ...commit.committer },
    added: commit.added,
    removed: commit.removed,
    modified: commit.modified,
  };
}

function compareUrl(htmlUrl: string, update: RefUpdate, created: boolean): string {
  if (created) return `${htmlUrl}/compare/${update.ref.replace(/^refs\/(heads|tags)\//, "")}`;
  return `${htmlUrl}/compare/${update.before.slice(0, 12)}...${update.after.slice(0, 12)}`;
}

function repositoryJson(options: BuildPushPayloadOptions, htmlUrl: string): Record<string, unknown> {
  const { repository, baseUrl } = options;
  const id = repositoryIdOf(repository.fullName);
  const cloneUrl = `${baseUrl}/${repository.fullName}.git`;
  const ownerLogin = repository.owner;
  return {
    id,
    node_id: Buffer.from(`010:Repository${id}`).toString("base64"),
    name: repository.name,
    full_name: repository.fullName,
    private: !options.public,
    owner: {
      name: ownerLogin,
      email: null,
      login: ownerLogin,
      id: numericId(`owner:${ownerLogin}`),
      type: "Organization",
      site_admin: false,
    },
    html_url: htmlUrl,
    description: null,
    fork: false,
    url: htmlUrl,
    created_at: Math.floor(repository.createdAt.getTime() / 1000),
    pushed_at: Math.floor(options.pushedAt.getTime() / 1000),
    git_url: cloneUrl,
    clone_url: cloneUrl,
    svn_url: htmlUrl,
    homepage: null,
    default_branch: repository.defaultBranch,
    master_branch: repository.defaultBranch,
    archived: false,
    disabled: false,
    visibility: options.public ? "public" : "private",
  };
}

function senderJson(subject: string): { login: string; id: number; type: string; site_admin: boolean } {
  const login =
    subject
      .split(/[/:]/)
      .filter((part) => part.length > 0)
      .at(-1)
      ?.replace(/[^A-Za-z0-9-]/g, "-") ?? "anonymous";
  return { login: login || "anonymous", id: numericId(`sender:${subject}`), type: "Bot", site_admin: false };
}

/**
 * The `repository.id` of a repository in push payloads: stable, derived from its full name.
 *
 * @example
 * ```ts
 * repositoryIdOf("config"); // the same number on every push
 * ```
 */
export function repositoryIdOf(fullName: string): number {
  return numericId(`repository:${fullName}`);
}

/** A stable positive id (below 2^31) derived from a name, standing in for GitHub's database ids. */
function numericId(name: string): number {
  return createHash("sha256").update(name).digest().readUInt32BE(0) & 0x7fffffff;
}
