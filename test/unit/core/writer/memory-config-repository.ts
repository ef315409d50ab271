import { createHash } from "node:crypto";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type {
  CommitFilesOptions,
  ConfigCommitInfo,
  ConfigRepository,
  PushOutcome,
} from "../../../../functions/core/ports/config-repository.js";

interface StoredCommit extends ConfigCommitInfo {
  readonly files: ReadonlyMap<string, string>;
}

/**
 * A config repository held in memory, for use-case tests: a "remote" branch head, commits with
 * whole file maps, and a hook that can move the remote between a fetch and a push.
 */
export class MemoryConfigRepository implements ConfigRepository {
  readonly name = "memory:config";
  readonly branch = "main";
  readonly commits = new Map<string, StoredCommit>();
  remoteHead: string;
  /** Other branches of the "remote" (pull request branches), by name. */
  readonly branches = new Map<string, string>();
  pushes = 0;
  /** Runs before each push is judged (e.g. another writer pushes). */
  beforePush: ((attempt: number) => void) | undefined;

  constructor(files: Record<string, string>) {
    this.remoteHead = this.store([], new Map(Object.entries(files)), "initial");
  }

  /** Commits on the remote directly, as another writer would. */
  pushOther(files: Record<string, string>, message = "other"): string {
    const parent = this.commits.get(this.remoteHead);
    const next = new Map(parent?.files);
    for (const [path, content] of Object.entries(files)) next.set(path, content);
    this.remoteHead = this.store([this.remoteHead], next, message);
    return this.remoteHead;
  }

  /** The remote's file at head. */
  fileAtHead(path: string): string | undefined {
    return this.commits.get(this.remoteHead)?.files.get(path);
  }

  /** The number of commits from head back to the root. */
  depth(): number {
    let count = 0;
    for (let oid: string | undefined = this.remoteHead; oid; oid = this.commits.get(oid)?.parents[0])
      count += 1;
    return count;
  }

  async sync(): Promise<string> {
    return this.remoteHead;
  }

  async readFile(options: { path: string; commit: string }): Promise<string | undefined> {
    return this.commits.get(options.commit)?.files.get(options.path);
  }

  async readCommit(oid: string): Promise<ConfigCommitInfo> {
    const commit = this.commits.get(oid);
    if (!commit) throw new ShiplineError({ code: "CONFIG_COMMIT_NOT_FOUND", message: `no commit ${oid}` });
    return commit;
  }

  async recentCommits(options: { from: string; limit: number }): Promise<ConfigCommitInfo[]> {
    const out: ConfigCommitInfo[] = [];
    for (let oid: string | undefined = options.from; oid && out.length < options.limit; ) {
      const commit = this.commits.get(oid);
      if (!commit) break;
      out.push(commit);
      oid = commit.parents[0];
    }
    return out;
  }

  async commitFiles(options: CommitFilesOptions): Promise<string> {
    const parent = this.commits.get(options.parent);
    const next = new Map(parent?.files);
    for (const file of options.files) next.set(file.path, file.content);
    return this.store([options.parent], next, options.message, true);
  }

  async push(commit: string): Promise<PushOutcome> {
    this.pushes += 1;
    this.beforePush?.(this.pushes);
    const parent = this.commits.get(commit)?.parents[0];
    if (parent !== this.remoteHead) return { status: "rejected", reason: "not-fast-forward" };
    this.remoteHead = commit;
    return { status: "pushed" };
  }

  async pushBranch(options: { commit: string; branch: string }): Promise<PushOutcome> {
    if (!this.commits.has(options.commit)) throw new Error(`no commit ${options.commit}`);
    this.branches.set(options.branch, options.commit);
    return { status: "pushed" };
  }

  /** A file as a branch of the "remote" has it. */
  fileOnBranch(branch: string, path: string): string | undefined {
    const head = this.branches.get(branch);
    return head === undefined ? undefined : this.commits.get(head)?.files.get(path);
  }

  private store(parents: string[], files: Map<string, string>, message: string, local = false): string {
    const oid = createHash("sha1")
      .update(`${parents.join(",")}\n${message}\n${[...files].join("\n")}\n${local ? this.commits.size : ""}`)
      .digest("hex");
    this.commits.set(oid, { oid, parents, message, files });
    return oid;
  }
}
