import * as nodeFs from "node:fs";
import path from "node:path";
import * as git from "isomorphic-git";
import nodeHttp from "isomorphic-git/http/node";
import type { GitCredentials } from "../../adapters/git/isomorphic-config-repository.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** Options of {@link ConfigTree}. */
export interface ConfigTreeOptions {
  /** Clone URL of the config repository (the local git server's `cloneUrl`). */
  readonly url: string;
  /** The branch Applications track. */
  readonly branch: string;
  /** Where the bare copy lives. */
  readonly dir: string;
  /** Read credentials when the server asks (no anonymous read); tokens reach git only through `onAuth`. */
  readonly credentials?: () => Promise<GitCredentials>;
}

/** A commit as Argo CD's revision metadata describes it. */
export interface CommitFacts {
  readonly author: string;
  readonly date: Date;
  readonly message: string;
}

/**
 * The config repository as the Argo CD stand-in reads it, like Argo CD's repo-server: a bare copy
 * fetched with isomorphic-git (whole branch history, so any revision can be read), with files and
 * directory listings read at a given commit. Git calls are serialised.
 *
 * @example
 * ```ts
 * const tree = new ConfigTree({ url: git.cloneUrl("config"), branch: "main", dir });
 * const head = await tree.fetch();
 * const values = await tree.readFile(head, "envs/dev/values.yaml");
 * ```
 */
export class ConfigTree {
  readonly #options: ConfigTreeOptions;
  readonly #cache: object = {};
  #queue: Promise<unknown> = Promise.resolve();
  #remoteSet = false;

  constructor(options: ConfigTreeOptions) {
    this.#options = options;
  }

  /** Fetches the branch and resolves with its head. Throws a retryable `ARGOCD_REPOSITORY_UNREACHABLE`. */
  fetch(): Promise<string> {
    return this.#serial(async () => {
      const { dir, url, branch } = this.#options;
      if (!nodeFs.existsSync(path.join(dir, "config"))) {
        await nodeFs.promises.mkdir(dir, { recursive: true });
        await git.init({ fs: nodeFs, gitdir: dir, bare: true, defaultBranch: branch });
      }
      // A copy kept from an earlier run names the git server's address of that run: set it anew.
      if (!this.#remoteSet) {
        await git.addRemote({ fs: nodeFs, gitdir: dir, remote: "origin", url, force: true });
        this.#remoteSet = true;
      }
      try {
        const result = await git.fetch({
          fs: nodeFs,
          http: nodeHttp,
          gitdir: dir,
          remote: "origin",
          ref: branch,
          singleBranch: true,
          tags: false,
          ...(this.#options.credentials === undefined
            ? {}
            : { onAuth: this.#onAuth(this.#options.credentials) }),
        });
        if (result.fetchHead === null) throw new Error(`branch ${branch} does not exist`);
        return result.fetchHead;
      } catch (error) {
        throw new ShiplineError({
          code: "ARGOCD_REPOSITORY_UNREACHABLE",
          message: `the Argo CD stand-in cannot fetch ${branch} of ${url}: ${error instanceof Error ? error.message : String(error)}`,
          data: { url, branch },
          retryable: true,
          cause: error,
        });
      }
    });
  }

  /** The commit's facts, or undefined when the copy has no such commit. */
  commit(oid: string): Promise<CommitFacts | undefined> {
    return this.#serial(async () => {
      if (!/^[0-9a-f]{40}$/.test(oid)) return undefined;
      try {
        const { commit } = await git.readCommit({
          fs: nodeFs,
          gitdir: this.#options.dir,
          oid,
          cache: this.#cache,
        });
        return {
          author: `${commit.author.name} <${commit.author.email}>`,
          date: new Date(commit.committer.timestamp * 1000),
          message: commit.message,
        };
      } catch {
        return undefined;
      }
    });
  }

  /** A file's text at a commit, or undefined when the commit has no such file. */
  readFile(commit: string, filepath: string): Promise<string | undefined> {
    return this.#serial(async () => {
      try {
        const { blob } = await git.readBlob({
          fs: nodeFs,
          gitdir: this.#options.dir,
          oid: commit,
          filepath: clean(filepath),
          cache: this.#cache,
        });
        return Buffer.from(blob).toString("utf8");
      } catch {
        return undefined;
      }
    });
  }

  /** The names of the files (not directories) of a directory at a commit; empty when it is missing. */
  listFiles(commit: string, directory: string): Promise<string[]> {
    return this.#serial(async () => {
      const filepath = clean(directory);
      try {
        const { tree } = await git.readTree({
          fs: nodeFs,
          gitdir: this.#options.dir,
          oid: commit,
          ...(filepath === "" ? {} : { filepath }),
          cache: this.#cache,
        });
        return tree.filter((entry) => entry.type === "blob").map((entry) => entry.path);
      } catch {
        return [];
      }
    });
  }

  #onAuth(credentials: () => Promise<GitCredentials>): git.AuthCallback {
    return async () => {
      const { username, password } = await credentials();
      return { username, password };
    };
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

function clean(filepath: string): string {
  return filepath
    .split("/")
    .filter((part) => part !== "" && part !== ".")
    .join("/");
}
