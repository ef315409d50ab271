import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { RepositoryTokenCheck } from "../oidc/repository-token.js";
import { announcePush } from "./announce-push.js";
import { authorizeGitRequest } from "./authorize-git-request.js";
import { locateGitHttpBackend, runGitHttpBackend } from "./git-http-backend.js";
import { parseGitRequestPath } from "./git-request-path.js";
import { LocalPullRequests } from "./local-pull-requests.js";
import type { MergeMethod } from "./merge-branch.js";
import type { CompletedMerge } from "./merge-pull-request.js";
import { PUSH_SPOOL_ENV, type RefUpdate, takeSpooledRefUpdates } from "./post-receive-hook.js";
import { servePullRequestApi } from "./pull-request-api.js";
import { pullRequestError } from "./pull-request-error.js";
import { pullRequestRepoUrlOf } from "./pull-request-repository.js";
import { API_PREFIX, isApiPath } from "./pull-request-route.js";
import { type LocalPullRequest, PullRequestStore } from "./pull-request-store.js";
import { isRepositoryName } from "./repository-name.js";
import { type CreateRepositoryOptions, type LocalRepository, RepositoryStore } from "./repository-store.js";
import { sendText } from "./send-text.js";
import {
  type WebhookDelivery,
  WebhookDispatcher,
  type WebhookDispatcherOptions,
  type WebhookTarget,
} from "./webhook-dispatcher.js";

/** Options for {@link LocalGitServer}. */
export interface LocalGitServerOptions {
  /** Directory of the bare repositories; created when missing. */
  readonly rootDir: string;
  /** Verifies repository tokens (the local OIDC server, or a `RepositoryTokenVerifier` on its JWKS). */
  readonly tokenVerifier: RepositoryTokenCheck;
  /** Let clone and fetch through without a token. @default false */
  readonly anonymousRead?: boolean;
  /** Receivers of push webhooks; more can be added with {@link LocalGitServer.addWebhook}. @default [] */
  readonly webhooks?: readonly WebhookTarget[];
  /** Retry and timeout settings of webhook deliveries. */
  readonly delivery?: WebhookDispatcherOptions;
  /** Most commits listed in one push payload. @default 2048 - GitHub's limit */
  readonly maxCommitsPerPush?: number;
  /** Owner reported for repositories named without one. @default "local" */
  readonly defaultOwner?: string;
  /** Port on 127.0.0.1. @default 0 - a free port */
  readonly port?: number;
  /** Receives failures that have no request to answer (a push payload that could not be built). @default - written to stderr */
  readonly onError?: (error: unknown) => void;
  readonly clock?: Clock;
}

/** Options for {@link LocalGitServer.mergePullRequest}. */
export interface MergeLocalPullRequestOptions {
  /** Token subject (or login) recorded as who merged; the push webhook's pusher. @default the default owner */
  readonly mergedBy?: string;
  /** @default "merge" - a merge commit */
  readonly method?: MergeMethod;
  /** The head commit expected; the merge is refused when the branch moved since. @default - any */
  readonly sha?: string;
}

interface Running {
  readonly server: Server;
  readonly baseUrl: string;
  readonly backend: string;
  readonly spoolDir: string;
  readonly dispatcher: WebhookDispatcher;
}

/**
 * A git host on 127.0.0.1: bare repositories served over smart HTTP by the real `git http-backend`
 * (so clone, fetch and push work with the git CLI and isomorphic-git), pushes authorised with
 * repository tokens from the token exchange, and a GitHub-format `push` webhook per updated ref sent
 * to every configured receiver, signed and retried. It also serves the part of GitHub's pull
 * request REST API that `GitHubPullRequests` uses, plus merge, below {@link LocalGitServer.apiUrl}:
 * give that adapter `apiUrl: git.apiUrl` and a repository URL from
 * {@link LocalGitServer.pullRequestRepoUrl}. Merging makes a real merge commit on the base branch
 * and sends the same `push` webhook a push of that branch would.
 *
 * @example
 * ```ts
 * const git = new LocalGitServer({ rootDir, tokenVerifier: oidc, webhooks: [{ url, secret }] });
 * const baseUrl = await git.start();
 * await git.createRepository("config", { defaultBranch: "main" });
 * // git push http://127.0.0.1:PORT/config.git (Basic auth password: a repository token)
 * ```
 */
export class LocalGitServer {
  private readonly options: LocalGitServerOptions;
  private readonly store: RepositoryStore;
  private readonly webhooks: WebhookTarget[];
  private readonly children = new Set<ChildProcess>();
  private readonly pushes = new Set<Promise<void>>();
  private readonly pullRequests: LocalPullRequests;
  private running: Running | undefined;

  constructor(options: LocalGitServerOptions) {
    this.options = options;
    this.store = new RepositoryStore({
      rootDir: options.rootDir,
      ...(options.defaultOwner === undefined ? {} : { defaultOwner: options.defaultOwner }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    this.webhooks = [...(options.webhooks ?? [])];
    this.pullRequests = new LocalPullRequests({
      store: new PullRequestStore(),
      clock: options.clock ?? systemClock,
      onMerged: (merge) => this.announceMerge(merge),
    });
  }

  /** Listens on 127.0.0.1 and resolves with the base URL (no trailing `/`). */
  async start(): Promise<string> {
    if (this.running) return this.running.baseUrl;
    await mkdir(this.options.rootDir, { recursive: true });
    const backend = await locateGitHttpBackend();
    const spoolDir = await mkdtemp(path.join(os.tmpdir(), "shipline-git-spool-"));
    const server = createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        this.reportError(error);
        if (!res.headersSent) sendText(res, 500, "internal error\n");
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    this.running = {
      server,
      baseUrl,
      backend,
      spoolDir,
      dispatcher: new WebhookDispatcher(this.options.delivery),
    };
    return baseUrl;
  }

  /** Ends running git processes, stops listening, cancels pending webhook retries. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    for (const child of this.children) child.kill("SIGTERM");
    running.server.closeAllConnections();
    await new Promise<void>((resolve) => running.server.close(() => resolve()));
    await Promise.allSettled([...this.pushes]);
    await running.dispatcher.stop();
    await rm(running.spoolDir, { recursive: true, force: true });
  }

  /** Base URL of the running server. */
  get baseUrl(): string {
    return this.started().baseUrl;
  }

  /** Whether clone and fetch need no token. */
  get anonymousRead(): boolean {
    return this.options.anonymousRead ?? false;
  }

  /** URL to clone a repository from. */
  cloneUrl(name: string): string {
    return `${this.started().baseUrl}/${name}.git`;
  }

  /** Base of the pull request REST API (GitHub Enterprise Server style): `<baseUrl>/api/v3`. */
  get apiUrl(): string {
    return `${this.started().baseUrl}${API_PREFIX}`;
  }

  /**
   * The repository URL to give `GitHubPullRequests` (with `apiUrl:` {@link LocalGitServer.apiUrl}):
   * `<baseUrl>/<owner>/<repo>`, the owner and name the repository's push webhooks report as
   * `repository.owner.login` and `repository.name`. A one-part repository `config` belongs to the
   * default owner (`defaultOwner`, "local"): `<baseUrl>/local/config`; a two-part `team/app` is
   * `<baseUrl>/team/app`. The API maps `{owner}/{repo}` back to the repository `owner/repo`, or
   * for the default owner to the one-part `repo` (refusing with 409 when both exist).
   */
  pullRequestRepoUrl(name: string): string {
    return pullRequestRepoUrlOf({ baseUrl: this.started().baseUrl, name, defaultOwner: this.defaultOwner });
  }

  /** Every pull request of a repository, in number order; open ones show their branches' current commits. */
  async listPullRequests(repository: string): Promise<LocalPullRequest[]> {
    return this.pullRequests.all(await this.existing(repository));
  }

  /**
   * Merges an open pull request exactly as `PUT …/pulls/{number}/merge` does: a merge commit
   * (parents: base head, pull request head) moved onto the base branch atomically, the pull request
   * stored closed and merged, and the base branch's `push` webhook sent. Rejects with the API's
   * errors (`PULL_REQUEST_NOT_MERGEABLE`, `PULL_REQUEST_NOT_FOUND`, ...).
   */
  async mergePullRequest(
    repository: string,
    number: number,
    options: MergeLocalPullRequestOptions = {},
  ): Promise<{ sha: string }> {
    this.started();
    const { sha } = await this.pullRequests.merge(
      await this.existing(repository),
      number,
      { method: options.method ?? "merge", ...(options.sha === undefined ? {} : { sha: options.sha }) },
      options.mergedBy ?? this.defaultOwner,
    );
    return { sha };
  }

  /** Creates a bare repository ready for pushes (idempotent: an existing one is kept and its hook renewed). */
  async createRepository(name: string, options: CreateRepositoryOptions = {}): Promise<LocalRepository> {
    return this.store.create(name, options);
  }

  /** Describes a repository, or `undefined` when there is none. */
  async getRepository(name: string): Promise<LocalRepository | undefined> {
    return isRepositoryName(name) ? this.store.get(name) : undefined;
  }

  /** Adds a webhook receiver for later pushes; answers its hook id. */
  addWebhook(target: WebhookTarget): number {
    this.webhooks.push(target);
    return this.webhooks.length;
  }

  /** Every webhook delivery with its tries, oldest first. */
  deliveries(): readonly WebhookDelivery[] {
    return this.running?.dispatcher.deliveries() ?? [];
  }

  /** Resolves when every push so far has been turned into webhooks and every delivery has finished. */
  async idle(): Promise<void> {
    while (this.pushes.size > 0) await Promise.allSettled([...this.pushes]);
    await this.running?.dispatcher.idle();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const running = this.started();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (isApiPath(url.pathname)) {
      await servePullRequestApi({
        req,
        res,
        url,
        pullRequests: this.pullRequests,
        repositories: this.store,
        defaultOwner: this.defaultOwner,
        baseUrl: running.baseUrl,
        anonymousRead: this.anonymousRead,
        verifier: this.options.tokenVerifier,
      });
      return;
    }
    const route = parseGitRequestPath(req.method ?? "GET", url);
    if (!route) {
      sendText(res, 404, "Not found: git is served at /<repository>.git/...\n");
      return;
    }
    const name = route.repository;
    const repository = await this.store.get(name);
    if (!repository) {
      sendText(res, 404, `Repository '${name}' not found\n`);
      return;
    }
    const decision = await authorizeGitRequest({
      authorization: req.headers.authorization,
      repository: name,
      access: route.access,
      anonymousRead: this.anonymousRead,
      verifier: this.options.tokenVerifier,
    });
    if (!decision.allowed) {
      req.resume();
      const challenge: Record<string, string> =
        decision.status === 401 ? { "www-authenticate": 'Basic realm="Shipline git", charset="UTF-8"' } : {};
      sendText(res, decision.status, `${decision.reason}\n`, challenge);
      return;
    }
    const spoolFile = route.isPush ? path.join(running.spoolDir, `${randomUUID()}.refs`) : undefined;
    const backend = runGitHttpBackend({
      backend: running.backend,
      req,
      res,
      projectRoot: this.store.rootDir,
      pathInfo: route.pathInfo,
      queryString: url.search.replace(/^\?/, ""),
      ...(decision.grant === undefined ? {} : { remoteUser: decision.grant.subject }),
      ...(spoolFile === undefined ? {} : { extraEnv: { [PUSH_SPOOL_ENV]: spoolFile } }),
      track: (child) => {
        this.children.add(child);
        return () => this.children.delete(child);
      },
    });
    if (spoolFile !== undefined) {
      // Tracked from the start: the client may have the whole answer (and call idle()) before the
      // backend process has exited and its ref updates are read.
      const grant = decision.grant;
      // A failed backend is reported by the request's own error path, not twice.
      const forget = () => rm(spoolFile, { force: true });
      this.track(
        backend.then(async () => {
          if (grant === undefined) return forget();
          const updates = await takeSpooledRefUpdates(spoolFile);
          await this.announce(running, repository, updates, grant.subject);
        }, forget),
      );
    }
    const result = await backend;
    if (result.exitCode !== 0 && result.status < 400 && result.stderr.trim() !== "") {
      this.reportError(new ShiplineError({ code: "GIT_HTTP_BACKEND_FAILED", message: result.stderr.trim() }));
    }
  }

  private announce(
    running: Running,
    repository: LocalRepository,
    updates: readonly RefUpdate[],
    pusher: string,
  ): Promise<void> {
    return announcePush({
      store: this.store,
      repository,
      updates,
      pusher,
      baseUrl: running.baseUrl,
      public: this.anonymousRead,
      maxCommits: this.options.maxCommitsPerPush ?? 2048,
      pushedAt: (this.options.clock ?? systemClock).now(),
      webhooks: [...this.webhooks],
      dispatcher: running.dispatcher,
    });
  }

  /** A merge moved a base branch: tell the webhook receivers as a push of that branch would. */
  private announceMerge(merge: CompletedMerge): void {
    const running = this.running;
    if (running) this.track(this.announce(running, merge.repository, [merge.update], merge.mergedBy));
  }

  private get defaultOwner(): string {
    return this.options.defaultOwner ?? "local";
  }

  private async existing(name: string): Promise<LocalRepository> {
    const repository = await this.getRepository(name);
    if (repository) return repository;
    throw pullRequestError(
      "PULL_REQUEST_REPOSITORY_NOT_FOUND",
      `repository '${name}' does not exist on the local git server; create it first`,
      { repository: name },
    );
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.reportError(error))
      .finally(() => this.pushes.delete(tracked));
    this.pushes.add(tracked);
  }

  private reportError(error: unknown): void {
    if (this.options.onError) {
      this.options.onError(error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`shipline local git server: ${message}\n`);
  }

  private started(): Running {
    if (!this.running) {
      throw new ShiplineError({
        code: "GIT_SERVER_NOT_STARTED",
        message: "the local git server is not running; call start() first",
      });
    }
    return this.running;
  }
}
