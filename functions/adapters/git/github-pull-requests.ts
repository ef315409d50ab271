import * as z from "zod";
import { repositoryPathOf } from "../../core/credentials/repository-path.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type {
  PullRequestHost,
  PullRequestRequest,
  PullRequestResult,
} from "../../core/ports/pull-request-host.js";
import { type ApiCall, apiFailure, callApi } from "./pull-request-api.js";

/** Options of {@link GitHubPullRequests}. */
export interface GitHubPullRequestsOptions {
  /** The REST API base (config: `pullRequest.apiUrl`; GitHub Enterprise Server: `https://<host>/api/v3`). @default "https://api.github.com" */
  readonly apiUrl?: string;
  /**
   * A token that may open pull requests on the repository: the GitHub App installation token
   * (minted with `pull_requests: write`) or the stored token, e.g.
   * `async (repo) => (await credentials.credentials(repo)).password`.
   */
  readonly token: (repoUrl: string) => Promise<string>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const pullRequest = z.object({ number: z.number().int().positive(), html_url: z.string().min(1) });

/**
 * Pull requests through GitHub's REST API: looks for the open pull request from the branch
 * (`GET /repos/{owner}/{repo}/pulls?head={owner}:{branch}&state=open`), updates it
 * (`PATCH /repos/{owner}/{repo}/pulls/{number}`) or opens one (`POST /repos/{owner}/{repo}/pulls`).
 * When another writer opened it meanwhile (422 "A pull request already exists"), it is looked up
 * again and updated: never a second one.
 *
 * @example
 * ```ts
 * const host = new GitHubPullRequests({ token: async (repo) => (await credentials.credentials(repo)).password });
 * await host.openOrUpdatePullRequest({ repo: "https://github.com/acme/deploy.git", branch: "shipline/production/demo", base: "main", title, body });
 * ```
 */
export class GitHubPullRequests implements PullRequestHost {
  readonly #options: GitHubPullRequestsOptions;

  constructor(options: GitHubPullRequestsOptions) {
    this.#options = options;
  }

  async openOrUpdatePullRequest(request: PullRequestRequest): Promise<PullRequestResult> {
    const { owner, name } = ownerAndName(request.repo);
    const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/pulls`;
    const call = await this.#caller(request.repo);
    const existing = await this.#findOpen(call, base, owner, request.branch);
    if (existing !== undefined) return this.#update(call, base, existing, request);
    const created = call("POST", base, {
      title: request.title,
      head: request.branch,
      base: request.base,
      body: request.body,
    });
    const answer = await callApi(created);
    const opened = pullRequest.safeParse(answer.body);
    if (answer.status === 201 && opened.success) {
      return { url: opened.data.html_url, number: opened.data.number, updated: false };
    }
    if (answer.status === 422) {
      const raced = await this.#findOpen(call, base, owner, request.branch);
      if (raced !== undefined) return this.#update(call, base, raced, request);
    }
    throw apiFailure(
      created,
      answer,
      "check that the base branch exists and the token may open pull requests",
    );
  }

  async #caller(repo: string): Promise<(method: ApiCall["method"], path: string, body?: unknown) => ApiCall> {
    const token = await this.#options.token(repo);
    const apiUrl = (this.#options.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
    const fetchFn = this.#options.fetch ?? fetch;
    return (method, path, body) => ({
      provider: "github",
      method,
      apiUrl,
      path,
      repo,
      fetch: fetchFn,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "user-agent": "shipline",
        "x-github-api-version": "2022-11-28",
      },
      ...(body === undefined ? {} : { body }),
    });
  }

  async #findOpen(
    call: (method: ApiCall["method"], path: string) => ApiCall,
    base: string,
    owner: string,
    branch: string,
  ): Promise<number | undefined> {
    const query = new URLSearchParams({ head: `${owner}:${branch}`, state: "open", per_page: "1" });
    const listed = call("GET", `${base}?${query}`);
    const answer = await callApi(listed);
    const list = z.array(pullRequest).safeParse(answer.body);
    if (answer.status !== 200 || !list.success) {
      throw apiFailure(listed, answer, "check pullRequest.apiUrl and that the token may read pull requests");
    }
    return list.data[0]?.number;
  }

  async #update(
    call: (method: ApiCall["method"], path: string, body?: unknown) => ApiCall,
    base: string,
    number: number,
    request: PullRequestRequest,
  ): Promise<PullRequestResult> {
    const patched = call("PATCH", `${base}/${number}`, {
      title: request.title,
      body: request.body,
      base: request.base,
    });
    const answer = await callApi(patched);
    const updated = pullRequest.safeParse(answer.body);
    if (answer.status !== 200 || !updated.success) {
      throw apiFailure(patched, answer, "check that the token may update pull requests");
    }
    return { url: updated.data.html_url, number: updated.data.number, updated: true };
  }
}

function ownerAndName(repo: string): { owner: string; name: string } {
  const [owner, name, ...rest] = repositoryPathOf(repo).split("/");
  if (owner === undefined || name === undefined || rest.length > 0) {
    throw new ShiplineError({
      code: "PULL_REQUEST_REPOSITORY_INVALID",
      message: `'${repo}' is not a GitHub repository URL of the form https://<host>/<owner>/<repo>; fix configRepo.url or pullRequest.provider`,
      data: { repository: repo },
    });
  }
  return { owner, name };
}
