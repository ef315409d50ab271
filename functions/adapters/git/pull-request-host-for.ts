import type { PullRequestConfig } from "../../core/config/config-repo.js";
import type { GitCredentialsProvider } from "../../core/ports/git-credentials.js";
import type { PullRequestHost } from "../../core/ports/pull-request-host.js";
import { GitHubPullRequests } from "./github-pull-requests.js";
import { GitLabMergeRequests } from "./gitlab-merge-requests.js";

/** Options of {@link pullRequestHostFor}. */
export interface PullRequestHostForOptions {
  /** `configRepo.pullRequest`; `undefined` when no environment asks for pull requests. */
  readonly config: PullRequestConfig | undefined;
  /** The writer's credentials: the same short-lived token that pushes opens the pull request. */
  readonly credentials: GitCredentialsProvider;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * The pull request host of the config repository, as `configRepo.pullRequest` names it (GitHub or
 * GitLab, with its API base), authenticated with the writer's own credentials for the repository;
 * `undefined` without a `pullRequest` section.
 *
 * @example
 * ```ts
 * const host = pullRequestHostFor({ config: configRepo.pullRequest, credentials });
 * ```
 */
export function pullRequestHostFor(options: PullRequestHostForOptions): PullRequestHost | undefined {
  const { config, credentials } = options;
  if (config === undefined) return undefined;
  const common = {
    token: async (repoUrl: string) => (await credentials.credentials(repoUrl)).password,
    ...(config.apiUrl === undefined ? {} : { apiUrl: config.apiUrl }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  return config.provider === "github" ? new GitHubPullRequests(common) : new GitLabMergeRequests(common);
}
