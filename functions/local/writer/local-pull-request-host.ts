import { GitHubPullRequests } from "../../adapters/git/github-pull-requests.js";
import type { GitCredentials } from "../../adapters/git/isomorphic-config-repository.js";
import type { PullRequestHost } from "../../core/ports/pull-request-host.js";

/** What {@link localPullRequestHost} needs of the local git server. */
export interface LocalPullRequestServer {
  /** The pull request API's base, `<baseUrl>/api/v3`. */
  readonly apiUrl: string;
  /** The repository URL the API knows a local repository by. */
  pullRequestRepoUrl(name: string): string;
}

/** Options of {@link localPullRequestHost}. */
export interface LocalPullRequestHostOptions {
  readonly git: LocalPullRequestServer;
  /** The local repository's name for a `configRepo.url` (`local:demo-config` gives `demo-config`). */
  readonly repositoryNameOf: (configRepo: string) => string;
  /** The writer's credentials for the repository: the token that pushes also opens pull requests. */
  readonly credentials: () => Promise<GitCredentials>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * The local runtime's pull request host: the unchanged GitHub adapter, pointed at the local git
 * server's GitHub-compatible API, with the writer's repository token. The local server speaks
 * GitHub's dialect only, so `pullRequest.provider` and `apiUrl` of the configuration do not apply
 * to `local:` repositories.
 *
 * @example
 * ```ts
 * const host = localPullRequestHost({ git: platform.git, repositoryNameOf, credentials });
 * ```
 */
export function localPullRequestHost(options: LocalPullRequestHostOptions): PullRequestHost {
  const github = new GitHubPullRequests({
    apiUrl: options.git.apiUrl,
    token: async () => (await options.credentials()).password,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  return {
    openOrUpdatePullRequest: (request) =>
      github.openOrUpdatePullRequest({
        ...request,
        repo: options.git.pullRequestRepoUrl(options.repositoryNameOf(request.repo)),
      }),
  };
}
