import * as z from "zod";
import { repositoryPathOf } from "../../core/credentials/repository-path.js";
import type {
  PullRequestHost,
  PullRequestRequest,
  PullRequestResult,
} from "../../core/ports/pull-request-host.js";
import { type ApiCall, apiFailure, callApi } from "./pull-request-api.js";

/** Options of {@link GitLabMergeRequests}. */
export interface GitLabMergeRequestsOptions {
  /** The REST API base (config: `pullRequest.apiUrl`). @default "https://gitlab.com/api/v4" */
  readonly apiUrl?: string;
  /**
   * A token with the `api` scope on the project (a project access token from the `token`
   * provider, or an OAuth token), e.g. `async (repo) => (await credentials.credentials(repo)).password`.
   */
  readonly token: (repoUrl: string) => Promise<string>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const mergeRequest = z.object({ iid: z.number().int().positive(), web_url: z.string().min(1) });

/**
 * Merge requests through GitLab's REST API (v4), the project addressed by its URL-encoded path:
 * looks for the open merge request from the branch
 * (`GET /projects/:id/merge_requests?source_branch=&state=opened`), updates it
 * (`PUT /projects/:id/merge_requests/:iid`) or opens one (`POST /projects/:id/merge_requests`,
 * removing the source branch on merge). When another writer opened it meanwhile (409), it is looked
 * up again and updated: never a second one.
 *
 * @example
 * ```ts
 * const host = new GitLabMergeRequests({ token: async (repo) => (await credentials.credentials(repo)).password });
 * await host.openOrUpdatePullRequest({ repo: "https://gitlab.com/acme/platform/deploy.git", branch: "shipline/production/demo", base: "main", title, body });
 * ```
 */
export class GitLabMergeRequests implements PullRequestHost {
  readonly #options: GitLabMergeRequestsOptions;

  constructor(options: GitLabMergeRequestsOptions) {
    this.#options = options;
  }

  async openOrUpdatePullRequest(request: PullRequestRequest): Promise<PullRequestResult> {
    const base = `/projects/${encodeURIComponent(repositoryPathOf(request.repo))}/merge_requests`;
    const call = await this.#caller(request.repo);
    const existing = await this.#findOpen(call, base, request.branch);
    if (existing !== undefined) return this.#update(call, base, existing, request);
    const created = call("POST", base, {
      source_branch: request.branch,
      target_branch: request.base,
      title: request.title,
      description: request.body,
      remove_source_branch: true,
    });
    const answer = await callApi(created);
    const opened = mergeRequest.safeParse(answer.body);
    if (answer.status === 201 && opened.success) {
      return { url: opened.data.web_url, number: opened.data.iid, updated: false };
    }
    if (answer.status === 409) {
      const raced = await this.#findOpen(call, base, request.branch);
      if (raced !== undefined) return this.#update(call, base, raced, request);
    }
    throw apiFailure(created, answer, "check that the target branch exists and the token has the api scope");
  }

  async #caller(repo: string): Promise<(method: ApiCall["method"], path: string, body?: unknown) => ApiCall> {
    const token = await this.#options.token(repo);
    const apiUrl = (this.#options.apiUrl ?? "https://gitlab.com/api/v4").replace(/\/+$/, "");
    const fetchFn = this.#options.fetch ?? fetch;
    return (method, path, body) => ({
      provider: "gitlab",
      method,
      apiUrl,
      path,
      repo,
      fetch: fetchFn,
      headers: { accept: "application/json", authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body }),
    });
  }

  async #findOpen(
    call: (method: ApiCall["method"], path: string) => ApiCall,
    base: string,
    branch: string,
  ): Promise<number | undefined> {
    const query = new URLSearchParams({ source_branch: branch, state: "opened" });
    const listed = call("GET", `${base}?${query}`);
    const answer = await callApi(listed);
    const list = z.array(mergeRequest).safeParse(answer.body);
    if (answer.status !== 200 || !list.success) {
      throw apiFailure(listed, answer, "check pullRequest.apiUrl and that the token has the api scope");
    }
    return list.data[0]?.iid;
  }

  async #update(
    call: (method: ApiCall["method"], path: string, body?: unknown) => ApiCall,
    base: string,
    iid: number,
    request: PullRequestRequest,
  ): Promise<PullRequestResult> {
    const put = call("PUT", `${base}/${iid}`, {
      title: request.title,
      description: request.body,
      target_branch: request.base,
    });
    const answer = await callApi(put);
    const updated = mergeRequest.safeParse(answer.body);
    if (answer.status !== 200 || !updated.success) {
      throw apiFailure(put, answer, "check that the token may update merge requests");
    }
    return { url: updated.data.web_url, number: updated.data.iid, updated: true };
  }
}
