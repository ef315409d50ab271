import * as nodeFs from "node:fs";
import path from "node:path";
import * as git from "isomorphic-git";
import nodeHttp from "isomorphic-git/http/node";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type {
  CommitFilesOptions,
  ConfigCommitInfo,
  ConfigRepository,
  PushOutcome,
} from "../../core/ports/config-repository.js";
import { gitTransportError } from "./git-transport-error.js";
import { ReceivePackClient, ZERO_OID } from "./receive-pack-client.js";
import { writeTreePath } from "./write-tree-path.js";

/** Basic-auth credentials for the git host (a short-lived token as the password). */
export interface GitCredentials {
  readonly username: string;
  readonly password: string;
}

/** Options of {@link IsomorphicConfigRepository}. */
export interface IsomorphicConfigRepositoryOptions {
  /** The repository's https (or local http) URL; never with credentials in it. */
  readonly url: string;
  /** The branch to write. */
  readonly branch: string;
  /** The name events give the repository. @default url */
  readonly name?: string;
  /** Where the bare clone lives; kept between invocations (e.g. `<tmpdir>/shipline-writer/<hash of url>`). */
  readonly dir: string;
  /** Hands out credentials when the host asks; tokens reach git only through `onAuth`. */
  readonly credentials?: () => Promise<GitCredentials>;
  /**
   * Depth of the first (cold) fetch: enough recent history to find the `Event-Id` of an intent
   * that another writer instance already carried out (idempotency after a crash). @default 20
   */
  readonly depth?: number;
  /** Most commits fetched while looking for an older commit (reverts). @default 4096 */
  readonly maxHistory?: number;
  /** @default node:fs */
  readonly fs?: typeof nodeFs;
  /** @default isomorphic-git/http/node */
  readonly http?: git.HttpClient;
}

/** How git's receive-pack says a ref update lost a race (the branch moved), as opposed to a refusal. */
const BRANCH_MOVED =
  /non-fast-forward|fetch first|failed to (?:update|lock)|cannot lock|stale info|incorrect old value/i;

/**
 * The config repository through isomorphic-git, with no git binary and no working tree: a bare
 * clone in `dir` that is fetched shallow and single-branch the first time (cold path) and only
 * for new objects afterwards (warm path: keep `dir` and the instance between invocations, its
 * cache keeps pack indexes in memory). Commits are built from blobs and the trees on their
 * paths; pushes authenticate with `onAuth` only.
 *
 * @example
 * ```ts
 * const repo = new IsomorphicConfigRepository({ url: "https://git.example.com/acme/config.git", branch: "main", dir: path.join(os.tmpdir(), "shipline-writer", hash), credentials });
 * const head = await repo.sync();
 * ```
 */
export class IsomorphicConfigRepository implements ConfigRepository {
  /** Whether this instance has set the clone's remote to its URL yet. */
  private remoteSet = false;

  readonly name: string;
  readonly branch: string;
  private readonly options: IsomorphicConfigRepositoryOptions;
  private readonly fs: typeof nodeFs;
  private readonly http: git.HttpClient;
  private readonly gitdir: string;
  private readonly cache: object = {};
  private readonly receivePack: ReceivePackClient;
  /** Objects each unpushed commit added (blobs, trees, the commit): exactly what its push sends. */
  private readonly unpushed = new Map<string, string[]>();

  constructor(options: IsomorphicConfigRepositoryOptions) {
    if (/^[a-z]+:\/\/[^/]*@/i.test(options.url)) {
      throw new ShiplineError({
        code: "GIT_URL_HAS_CREDENTIALS",
        message:
          "the config repository URL carries credentials; remove them from the URL and configure a credentials provider",
        data: { branch: options.branch },
      });
    }
    this.options = options;
    this.name = options.name ?? options.url;
    this.branch = options.branch;
    this.fs = options.fs ?? nodeFs;
    this.http = options.http ?? nodeHttp;
    this.gitdir = options.dir;
    this.receivePack = new ReceivePackClient({
      url: options.url,
      http: this.http,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
  }

  /** Fetches (cold: shallow clone; warm: new objects only) and resolves with the branch head. */
  async sync(): Promise<string> {
    const cold = !this.fs.existsSync(path.join(this.gitdir, "config"));
    if (cold) {
      await this.fs.promises.mkdir(this.gitdir, { recursive: true });
      await git.init({ fs: this.fs, gitdir: this.gitdir, bare: true, defaultBranch: this.branch });
    }
    // A clone kept from an earlier run may name an address that changed since (a local server's
    // port after a restart): the remote is set to this instance's URL before its first fetch.
    if (cold || !this.remoteSet) {
      await git.addRemote({
        fs: this.fs,
        gitdir: this.gitdir,
        remote: "origin",
        url: this.options.url,
        force: true,
      });
      this.remoteSet = true;
    }
    const result = await this.fetch(cold ? { depth: this.options.depth ?? 20 } : {});
    if (result.fetchHead === null) {
      throw new ShiplineError({
        code: "GIT_REPOSITORY_NOT_FOUND",
        message: `branch ${this.branch} does not exist in ${this.name}; create it or fix configRepo.branch`,
        data: { repository: this.name, branch: this.branch },
      });
    }
    // isomorphic-git offers the local branch as its "have" on the next fetch: without it the
    // server would send the whole tree again instead of only what is new.
    await this.setBranch(result.fetchHead);
    return result.fetchHead;
  }

  async readFile(options: { readonly path: string; readonly commit: string }): Promise<string | undefined> {
    const commit = await this.readCommitObject(options.commit);
    let oid = commit.tree;
    const parts = options.path.split("/");
    for (const [index, part] of parts.entries()) {
      const { tree } = await git.readTree({ fs: this.fs, gitdir: this.gitdir, oid, cache: this.cache });
      const entry = tree.find((item) => item.path === part);
      const last = index === parts.length - 1;
      if (entry === undefined || entry.type !== (last ? "blob" : "tree")) return undefined;
      oid = entry.oid;
    }
    const { blob } = await git.readBlob({ fs: this.fs, gitdir: this.gitdir, oid, cache: this.cache });
    return Buffer.from(blob).toString("utf8");
  }

  async readCommit(oid: string): Promise<ConfigCommitInfo> {
    let step = 16;
    const limit = this.options.maxHistory ?? 4096;
    for (let fetched = 0; ; fetched += step, step *= 4) {
      const shallow = await this.shallowCommits();
      const known = await this.tryReadCommit(oid);
      if (known !== undefined && !shallow.has(oid)) return known;
      if (shallow.size === 0 || fetched >= limit) break;
      await this.fetch({ depth: step, relative: true });
    }
    throw new ShiplineError({
      code: "CONFIG_COMMIT_NOT_FOUND",
      message: `commit ${oid} (or its parent) is not in the last ${limit} commits of ${this.name} ${this.branch}; check the commit sha`,
      data: { commit: oid, repository: this.name, branch: this.branch },
    });
  }

  async recentCommits(options: {
    readonly from: string;
    readonly limit: number;
  }): Promise<ConfigCommitInfo[]> {
    const shallow = await this.shallowCommits();
    const commits: ConfigCommitInfo[] = [];
    let next: string | undefined = options.from;
    while (next !== undefined && commits.length < options.limit) {
      const commit = await this.tryReadCommit(next);
      if (commit === undefined) break;
      commits.push(commit);
      next = shallow.has(next) ? undefined : commit.parents[0];
    }
    return commits;
  }

  async commitFiles(options: CommitFilesOptions): Promise<string> {
    const parent = await this.readCommitObject(options.parent);
    const written: string[] = [];
    const tree = await writeTreePath({
      fs: this.fs,
      gitdir: this.gitdir,
      cache: this.cache,
      tree: parent.tree,
      files: options.files,
      written,
    });
    const person = {
      name: options.author.name,
      email: options.author.email,
      timestamp: Math.floor(options.time.getTime() / 1000),
      timezoneOffset: 0,
    };
    const commit = await git.writeCommit({
      fs: this.fs,
      gitdir: this.gitdir,
      commit: { message: options.message, tree, parent: [options.parent], author: person, committer: person },
    });
    this.unpushed.set(commit, [...written, commit]);
    return commit;
  }

  /**
   * Pushes a commit made by {@link commitFiles} on top of the branch head: when the branch no
   * longer points at the commit's parent the push is `rejected` without sending anything, else
   * exactly the objects the commit added are packed and sent (no tree walk), and the server's
   * verdict on the ref is the outcome.
   */
  async push(commit: string): Promise<PushOutcome> {
    const outcome = await this.send(commit, this.branch, (remote, parent) =>
      remote === parent ? undefined : `not-fast-forward: ${this.branch} is at ${remote ?? "nothing"}`,
    );
    if (outcome.status === "pushed") await this.setBranch(commit);
    return outcome;
  }

  /**
   * Force-pushes a commit made by {@link commitFiles} to another branch (a pull request's side
   * branch): the update names the branch's current head as its old value, so a branch that moved
   * meanwhile is `rejected` by the server rather than overwritten blindly. The commit's parent is
   * the written branch's head, which the remote has, so the same objects suffice.
   */
  async pushBranch(options: { readonly commit: string; readonly branch: string }): Promise<PushOutcome> {
    if (options.branch === this.branch) {
      throw new ShiplineError({
        code: "WRITER_BRANCH_INVALID",
        message: `pushBranch writes side branches; ${options.branch} is the written branch itself, use push`,
        data: { branch: options.branch },
      });
    }
    return this.send(options.commit, options.branch, () => undefined);
  }

  /**
   * Sends exactly the objects the commit added (no tree walk) as one ref update of `branch`;
   * `refuse` sees where the remote branch is and may answer a rejection reason instead.
   */
  private async send(
    commit: string,
    branch: string,
    refuse: (remote: string | undefined, parent: string) => string | undefined,
  ): Promise<PushOutcome> {
    const ref = `refs/heads/${branch}`;
    const objects = this.unpushed.get(commit);
    const [parent] = (await this.readCommitObject(commit)).parent;
    if (objects === undefined || parent === undefined) {
      throw new ShiplineError({
        code: "WRITER_COMMIT_UNKNOWN",
        message: `commit ${commit} was not made by this writer instance's commitFiles; commit the files again`,
        data: { commit },
      });
    }
    try {
      const remote = await this.receivePack.remoteHead(ref);
      const reason = refuse(remote, parent);
      if (reason !== undefined) return { status: "rejected", reason };
      const { packfile } = await git.packObjects({
        fs: this.fs,
        gitdir: this.gitdir,
        oids: objects,
        cache: this.cache,
      });
      const result = await this.receivePack.push({
        ref,
        oldOid: remote ?? ZERO_OID,
        newOid: commit,
        pack: packfile ?? new Uint8Array(),
      });
      if (result.ok) return { status: "pushed" };
      return BRANCH_MOVED.test(result.reason)
        ? { status: "rejected", reason: result.reason }
        : { status: "refused", reason: result.reason };
    } catch (error) {
      throw gitTransportError(error, { operation: "push", repository: this.name, branch });
    } finally {
      // Each attempt commits anew; a commit is pushed at most once.
      this.unpushed.delete(commit);
    }
  }

  private async setBranch(oid: string): Promise<void> {
    for (const ref of [`refs/heads/${this.branch}`, `refs/remotes/origin/${this.branch}`]) {
      await git.writeRef({ fs: this.fs, gitdir: this.gitdir, ref, value: oid, force: true });
    }
  }

  private async fetch(extra: { depth?: number; relative?: boolean }): Promise<git.FetchResult> {
    try {
      return await git.fetch({
        fs: this.fs,
        http: this.http,
        gitdir: this.gitdir,
        url: this.options.url,
        ref: this.branch,
        remoteRef: this.branch,
        singleBranch: true,
        tags: false,
        cache: this.cache,
        ...extra,
        ...this.auth(),
      });
    } catch (error) {
      throw gitTransportError(error, { operation: "fetch", repository: this.name, branch: this.branch });
    }
  }

  private auth(): { onAuth?: git.AuthCallback; onAuthFailure?: git.AuthFailureCallback } {
    const credentials = this.options.credentials;
    if (credentials === undefined) return {};
    return {
      onAuth: async () => {
        const { username, password } = await credentials();
        // The push goes to the same host: it may send these at once instead of waiting for a 401.
        this.receivePack.preferCredentials({ username, password });
        return { username, password };
      },
      // A refused token is not tried again in a loop: the push or fetch fails with 401.
      onAuthFailure: () => ({ cancel: true }),
    };
  }

  private async readCommitObject(oid: string): Promise<git.CommitObject> {
    const { commit } = await git.readCommit({ fs: this.fs, gitdir: this.gitdir, oid, cache: this.cache });
    return commit;
  }

  private async tryReadCommit(oid: string): Promise<ConfigCommitInfo | undefined> {
    try {
      const commit = await this.readCommitObject(oid);
      return {
        oid,
        parents: commit.parent,
        message: commit.message,
        author: { name: commit.author.name, email: commit.author.email },
      };
    } catch (error) {
      if (error instanceof git.Errors.NotFoundError) return undefined;
      throw error;
    }
  }

  private async shallowCommits(): Promise<Set<string>> {
    try {
      const text = await this.fs.promises.readFile(path.join(this.gitdir, "shallow"), "utf8");
      return new Set(text.split("\n").filter((line) => line.trim() !== ""));
    } catch {
      return new Set();
    }
  }
}
