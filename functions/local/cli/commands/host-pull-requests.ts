import * as z from "zod";
import { type ApiCall, apiFailure, callApi } from "../../../adapters/git/pull-request-api.js";
import type { PullRequestConfig } from "../../../core/config/config-repo.js";
import { repositoryPathOf } from "../../../core/credentials/repository-path.js";
import { pullRequestBranch } from "../../../core/ports/pull-request-host.js";
import { UsageError } from "../command.js";

/** The variable holding a token that may merge pull requests on the config repository's host (the provider's own variable is read too). */
export const GIT_TOKEN_VARIABLE = "SHIPLINE_GIT_TOKEN";

/** The variables each provider's own CLI reads its token from, after {@link GIT_TOKEN_VARIABLE}. */
const PROVIDER_TOKEN_VARIABLES = {
  github: ["GITHUB_TOKEN", "GH_TOKEN"],
  gitlab: ["GITLAB_TOKEN"],
} as const;

/** An open pull request (GitHub) or merge request (GitLab) of the config repository. */
export interface HostPullRequest {
  /** GitHub `number`, GitLab `iid`. */
  readonly number: number;
  readonly title: string;
  readonly url: string;
}

/** The config repository's pull requests on its git host. */
export interface HostPullRequests {
  /** The repository, as `owner/name`. */
  readonly repository: string;
  /** The open pull request of an app in an environment (`shipline/<env>/<app>`), if any. */
  openFor(app: string, environment: string): Promise<HostPullRequest | undefined>;
  /** Merges it; resolves with the merge commit. */
  merge(pull: HostPullRequest, method: "merge" | "squash"): Promise<string>;
}

/** Options of {@link hostPullRequests}. */
export interface HostPullRequestsOptions {
  /** `configRepo.url`. */
  readonly repoUrl: string;
  /** `configRepo.pullRequest`: the provider and its API base. */
  readonly config: PullRequestConfig;
  /** Where the token is read. */
  readonly env: NodeJS.ProcessEnv;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const githubPull = z.object({ number: z.number().int().positive(), title: z.string(), html_url: z.string() });
const gitlabMerge = z.object({ iid: z.number().int().positive(), title: z.string(), web_url: z.string() });
const githubMerged = z.object({ sha: z.string().min(1) });
const gitlabMerged = z.object({
  merge_commit_sha: z.string().nullable().optional(),
  sha: z.string().optional(),
});

/**
 * The config repository's pull requests on GitHub or GitLab, with a person's token
 * (`SHIPLINE_GIT_TOKEN`, else `GITHUB_TOKEN` / `GH_TOKEN` or `GITLAB_TOKEN`): finds the open one
 * of an app in an environment and merges it, as a reviewer would on the host. The host's refusal is
 * a `PULL_REQUEST_FAILED` ShiplineError with its own message; no token is a {@link UsageError}.
 *
 * @example
 * ```ts
 * const pulls = hostPullRequests({ repoUrl: config.configRepo.url, config: config.configRepo.pullRequest, env: io.env });
 * const open = await pulls.openFor("demo", "production");
 * ```
 */
export function hostPullRequests(options: HostPullRequestsOptions): HostPullRequests {
  const { config, repoUrl } = options;
  const variables = [GIT_TOKEN_VARIABLE, ...PROVIDER_TOKEN_VARIABLES[config.provider]];
  const token = variables
    .map((name) => options.env[name])
    .find((value) => value !== undefined && value !== "");
  if (token === undefined) {
    throw new UsageError(
      `merging on ${config.provider} needs a token that may merge pull requests on ${repoUrl}: set ${variables.join(" or ")}`,
    );
  }
  const repository = repositoryPathOf(repoUrl);
  const fetchFn = options.fetch ?? fetch;
  const github = config.provider === "github";
  const apiUrl = (config.apiUrl ?? (github ? "https://api.github.com" : "https://gitlab.com/api/v4")).replace(
    /\/+$/,
    "",
  );
  const headers: Readonly<Record<string, string>> = github
    ? {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "user-agent": "shipline",
        "x-github-api-version": "2022-11-28",
      }
    : { accept: "application/json", authorization: `Bearer ${token}` };
  const call = (method: ApiCall["method"], path: string, body?: unknown): ApiCall => ({
    provider: config.provider,
    method,
    apiUrl,
    path,
    repo: repoUrl,
    fetch: fetchFn,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const base = github
    ? `/repos/${repository.split("/").map(encodeURIComponent).join("/")}/pulls`
    : `/projects/${encodeURIComponent(repository)}/merge_requests`;
  return {
    repository,
    async openFor(app, environment) {
      const branch = pullRequestBranch(environment, app);
      const owner = repository.split("/")[0] ?? "";
      const query = github
        ? new URLSearchParams({ head: `${owner}:${branch}`, state: "open" })
        : new URLSearchParams({ source_branch: branch, state: "opened" });
      const listed = call("GET", `${base}?${query}`);
      const answer = await callApi(listed);
      if (answer.status !== 200) throw apiFailure(listed, answer, "check the token and pullRequest.apiUrl");
      if (github) {
        const [first] = z.array(githubPull).parse(answer.body);
        return first && { number: first.number, title: first.title, url: first.html_url };
      }
      const [first] = z.array(gitlabMerge).parse(answer.body);
      return first && { number: first.iid, title: first.title, url: first.web_url };
    },
    async merge(pull, method) {
      const merged = github
        ? call("PUT", `${base}/${pull.number}/merge`, { merge_method: method })
        : call("PUT", `${base}/${pull.number}/merge`, { squash: method === "squash" });
      const answer = await callApi(merged);
      if (answer.status !== 200) {
        throw apiFailure(merged, answer, "check that the token may merge it and that it can be merged");
      }
      if (github) return githubMerged.parse(answer.body).sha;
      const body = gitlabMerged.parse(answer.body);
      return body.merge_commit_sha ?? body.sha ?? "";
    },
  };
}
