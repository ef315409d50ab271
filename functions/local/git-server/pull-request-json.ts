import { createHash } from "node:crypto";
import type { LocalPullRequest, PullRequestBranch } from "./pull-request-store.js";
import { repositoryIdOf } from "./push-payload.js";
import type { LocalRepository } from "./repository-store.js";

/** Options for {@link pullRequestJson}. */
export interface PullRequestJsonOptions {
  readonly pullRequest: LocalPullRequest;
  readonly repository: LocalRepository;
  /** Base URL of the git server, without a trailing `/`. */
  readonly baseUrl: string;
  /** True when anyone may clone (GitHub's `private: false`). */
  readonly public: boolean;
  /** GitHub's `mergeable`, given for a single pull request only (lists leave it out, as GitHub does). */
  readonly mergeable?: boolean | null;
}

/**
 * A pull request as GitHub's REST API shows it: `url`, `html_url`, `number`, `state`, `title`,
 * `body`, `user`, `head` and `base` (`label`, `ref`, `sha`, `user`, `repo`), `merged`,
 * `merged_at`, `merge_commit_sha`, `merged_by`, timestamps, and the empty review fields. The
 * repository is named `{owner}/{repo}` as in push webhooks; pages live under
 * `<baseUrl>/<repository>/pull/<number>`.
 *
 * @example
 * ```ts
 * sendJson(res, 200, pullRequestJson({ pullRequest, repository, baseUrl, public: false }));
 * ```
 */
export function pullRequestJson(options: PullRequestJsonOptions): Record<string, unknown> {
  const { pullRequest: pr, repository, baseUrl } = options;
  const apiRepo = `${baseUrl}/api/v3/repos/${repository.owner}/${repository.name}`;
  const url = `${apiRepo}/pulls/${pr.number}`;
  const htmlUrl = `${baseUrl}/${repository.fullName}/pull/${pr.number}`;
  const id = numericId(`pull:${repository.fullName}#${pr.number}`);
  const mergeable =
    options.mergeable === undefined
      ? {}
      : {
          mergeable: options.mergeable,
          mergeable_state: options.mergeable === null ? "unknown" : options.mergeable ? "clean" : "dirty",
          rebaseable: false,
        };
  return {
    url,
    id,
    node_id: Buffer.from(`011:PullRequest${id}`).toString("base64"),
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: `${apiRepo}/issues/${pr.number}`,
    commits_url: `${url}/commits`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(pr.user),
    body: pr.body,
    created_at: githubTimestamp(pr.createdAt),
    updated_at: githubTimestamp(pr.updatedAt),
    closed_at: pr.closedAt === null ? null : githubTimestamp(pr.closedAt),
    merged_at: pr.mergedAt === null ? null : githubTimestamp(pr.mergedAt),
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    labels: [],
    milestone: null,
    draft: false,
    head: branchJson(options, pr.head),
    base: branchJson(options, pr.base),
    author_association: "OWNER",
    auto_merge: null,
    merged: pr.mergedAt !== null,
    ...mergeable,
    merged_by: pr.mergedBy === null ? null : userJson(pr.mergedBy),
  };
}

/**
 * GitHub's timestamp format: ISO 8601 in UTC without fractions of a second.
 *
 * @example
 * ```ts
 * githubTimestamp(new Date("2026-01-02T03:04:05.678Z")); // "2026-01-02T03:04:05Z"
 * ```
 */
export function githubTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function branchJson(options: PullRequestJsonOptions, branch: PullRequestBranch): Record<string, unknown> {
  const { repository, baseUrl } = options;
  const owner = userJson(repository.owner);
  return {
    label: `${repository.owner}:${branch.ref}`,
    ref: branch.ref,
    sha: branch.sha,
    user: owner,
    repo: {
      id: repositoryIdOf(repository.fullName),
      name: repository.name,
      full_name: repository.fullName,
      private: !options.public,
      owner,
      html_url: `${baseUrl}/${repository.fullName}`,
      clone_url: `${baseUrl}/${repository.fullName}.git`,
      default_branch: repository.defaultBranch,
    },
  };
}

function userJson(login: string): Record<string, unknown> {
  return { login, id: numericId(`user:${login}`), type: "User", site_admin: false };
}

/** A stable positive id (below 2^31) derived from a name, standing in for GitHub's database ids. */
function numericId(name: string): number {
  return createHash("sha256").update(name).digest().readUInt32BE(0) & 0x7fffffff;
}
