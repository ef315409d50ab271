import type { IncomingMessage, ServerResponse } from "node:http";
import type { RepositoryTokenCheck } from "../oidc/repository-token.js";
import { authorizeGitRequest } from "./authorize-git-request.js";
import { githubLoginOf } from "./github-login.js";
import type { LocalPullRequests } from "./local-pull-requests.js";
import { pullRequestApiAnswer, pullRequestError } from "./pull-request-error.js";
import {
  parseCreatePullRequest,
  parseListPullRequests,
  parseMergePullRequest,
  parseUpdatePullRequest,
} from "./pull-request-input.js";
import { pullRequestJson } from "./pull-request-json.js";
import { resolvePullRequestRepository } from "./pull-request-repository.js";
import { type PullRequestRoute, parsePullRequestRoute } from "./pull-request-route.js";
import type { LocalPullRequest } from "./pull-request-store.js";
import type { LocalRepository, RepositoryStore } from "./repository-store.js";
import { sendJson } from "./send-json.js";

/** Options for {@link servePullRequestApi}. */
export interface ServePullRequestApiOptions {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request URL (path and query). */
  readonly url: URL;
  readonly pullRequests: LocalPullRequests;
  readonly repositories: RepositoryStore;
  /** Owner of one-part repository names. */
  readonly defaultOwner: string;
  /** Base URL of the git server, without a trailing `/`. */
  readonly baseUrl: string;
  /** True when reads need no token (as for clone and fetch). */
  readonly anonymousRead: boolean;
  readonly verifier: RepositoryTokenCheck;
}

/** Largest request body accepted. */
const MAX_BODY_BYTES = 1024 * 1024;

const DOCS = "https://docs.github.com/rest/pulls/pulls";

/**
 * Answers one request of the pull request REST API (GitHub's shapes, below `/api/v3`): list,
 * create, get, update and merge. The token is checked as for git (Bearer, `token` or Basic; a
 * repository token from the token exchange): reads need read access (or none with
 * `anonymousRead`), everything else write access to that repository. Errors are GitHub's JSON
 * answers: 401/403, 404 `Not Found`, 405 `Pull Request is not mergeable`, 409 on a moved head,
 * 422 `Validation Failed` or `Invalid request`.
 *
 * @example
 * ```ts
 * if (isApiPath(url.pathname)) return servePullRequestApi({ req, res, url, pullRequests, repositories: store, defaultOwner: "local", baseUrl, anonymousRead: false, verifier });
 * ```
 */
export async function servePullRequestApi(options: ServePullRequestApiOptions): Promise<void> {
  const { req, res } = options;
  const route = parsePullRequestRoute(req.method ?? "GET", options.url.pathname);
  try {
    if (route === undefined)
      throw notFound("no such API route; the local git server serves /repos/{owner}/{repo}/pulls");
    const repository = await resolvePullRequestRepository({
      store: options.repositories,
      owner: route.owner,
      name: route.name,
      defaultOwner: options.defaultOwner,
    });
    if (repository === undefined) {
      throw pullRequestError(
        "PULL_REQUEST_REPOSITORY_NOT_FOUND",
        `repository '${route.owner}/${route.name}' does not exist; create it on the local git server first`,
      );
    }
    const decision = await authorizeGitRequest({
      authorization: asBearer(req.headers.authorization),
      repository: repository.fullName,
      access: req.method === "GET" ? "read" : "write",
      anonymousRead: options.anonymousRead,
      verifier: options.verifier,
    });
    if (!decision.allowed) {
      req.resume();
      sendJson(res, decision.status, { message: decision.reason, documentation_url: DOCS });
      return;
    }
    const subject = decision.grant?.subject ?? "anonymous";
    await answer(options, route, repository, subject);
  } catch (error) {
    const refused = pullRequestApiAnswer(error);
    if (refused === undefined) throw error;
    req.resume();
    sendJson(res, refused.status, refused.body);
  }
}

async function answer(
  options: ServePullRequestApiOptions,
  route: PullRequestRoute,
  repository: LocalRepository,
  subject: string,
): Promise<void> {
  const { req, res, pullRequests } = options;
  const json = (pullRequest: LocalPullRequest, mergeable?: boolean | null) =>
    pullRequestJson({
      pullRequest,
      repository,
      baseUrl: options.baseUrl,
      public: options.anonymousRead,
      ...(mergeable === undefined ? {} : { mergeable }),
    });
  switch (route.action) {
    case "list": {
      const listed = await pullRequests.search(repository, parseListPullRequests(options.url.searchParams));
      sendJson(
        res,
        200,
        listed.map((pr) => json(pr)),
      );
      return;
    }
    case "create": {
      const input = parseCreatePullRequest(await readJsonBody(req));
      const opened = json(await pullRequests.create(repository, input, githubLoginOf(subject)));
      sendJson(res, 201, opened, { location: String(opened.url) });
      return;
    }
    case "get": {
      const found = await pullRequests.get(repository, route.number);
      sendJson(res, 200, json(found, await pullRequests.mergeable(repository, found)));
      return;
    }
    case "update": {
      const input = parseUpdatePullRequest(await readJsonBody(req));
      sendJson(res, 200, json(await pullRequests.update(repository, route.number, input)));
      return;
    }
    case "merge": {
      const input = parseMergePullRequest(await readJsonBody(req));
      const { sha } = await pullRequests.merge(repository, route.number, input, subject);
      sendJson(res, 200, { sha, merged: true, message: "Pull Request successfully merged" });
      return;
    }
    case "merged": {
      const found = await pullRequests.get(repository, route.number);
      if (found.mergedAt === null) throw notFound(`pull request #${route.number} is not merged`);
      res.writeHead(204).end();
      return;
    }
  }
}

/** GitHub also takes `Authorization: token <token>`; the git rules know Bearer and Basic. */
function asBearer(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^\s*token\s+(\S+)\s*$/i.exec(header);
  return match?.[1] === undefined ? header : `Bearer ${match[1]}`;
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size > MAX_BODY_BYTES) {
      throw pullRequestError(
        "PULL_REQUEST_REQUEST_INVALID",
        `Problems parsing JSON: the body is larger than ${MAX_BODY_BYTES} bytes; send a smaller one`,
      );
    }
    chunks.push(bytes);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw pullRequestError(
      "PULL_REQUEST_REQUEST_INVALID",
      "Problems parsing JSON: the body is not valid JSON; send a JSON object",
    );
  }
}

function notFound(detail: string) {
  return pullRequestError("PULL_REQUEST_NOT_FOUND", detail);
}
