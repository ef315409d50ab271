import { runGit } from "./run-git.js";

/** A commit as a push webhook describes it (without URLs). */
export interface CommitDetails {
  readonly id: string;
  readonly treeId: string;
  readonly message: string;
  readonly timestamp: string;
  readonly author: { readonly name: string; readonly email: string };
  readonly committer: { readonly name: string; readonly email: string };
  readonly added: string[];
  readonly modified: string[];
  readonly removed: string[];
}

/** The commits a ref update brought, oldest first, as GitHub lists them. */
export interface PushedCommitList {
  /** Commit ids, oldest first, at most `limit`. */
  readonly ids: readonly string[];
  /** Ids reachable from no other ref: GitHub's `distinct`. */
  readonly distinct: ReadonlySet<string>;
  /** True when more commits were pushed than listed. */
  readonly truncated: boolean;
}

const FIELD = "\x1f";
const FORMAT = ["%H", "%T", "%an", "%ae", "%cn", "%ce", "%cI", "%B"].join("%x1f");

/**
 * Lists the commits of a ref update: `before..after` for an update, and for a new ref the commits
 * no other ref reaches. At most `limit` (the newest ones), oldest first.
 *
 * @example
 * ```ts
 * const { ids } = await listPushedCommits({ gitDir, ref: "refs/heads/main", before, after, limit: 2048 });
 * ```
 */
export async function listPushedCommits(options: {
  readonly gitDir: string;
  readonly ref: string;
  readonly before: string | undefined;
  readonly after: string;
  readonly limit: number;
}): Promise<PushedCommitList> {
  const { gitDir, ref, before, after, limit } = options;
  const newOnly = ["rev-list", `${after}^{commit}`, "--not", `--exclude=${ref}`, "--glob=refs/*"];
  const range = before === undefined ? newOnly : ["rev-list", `${after}^{commit}`, `^${before}`];
  const listed = lines((await runGit({ gitDir, args: range })).stdout);
  const fresh = before === undefined ? listed : lines((await runGit({ gitDir, args: newOnly })).stdout);
  return {
    ids: listed.slice(0, limit).reverse(),
    distinct: new Set(fresh),
    truncated: listed.length > limit,
  };
}

/**
 * Reads a commit's metadata and the paths it added, modified and removed (against its first parent;
 * renames count as a removal and an addition, as on GitHub).
 *
 * @example
 * ```ts
 * const commit = await readCommit({ gitDir, id: after });
 * ```
 */
export async function readCommit(options: {
  readonly gitDir: string;
  readonly id: string;
}): Promise<CommitDetails> {
  const { gitDir, id } = options;
  const shown = await runGit({ gitDir, args: ["show", "-s", `--format=${FORMAT}`, id] });
  const [
    commitId = id,
    treeId = "",
    authorName = "",
    authorEmail = "",
    committerName = "",
    committerEmail = "",
    timestamp = "",
    ...message
  ] = shown.stdout.split(FIELD);
  const changes = await runGit({
    gitDir,
    args: [
      "diff-tree",
      "-r",
      "-z",
      "--root",
      "--no-commit-id",
      "--no-renames",
      "--diff-merges=first-parent",
      "--name-status",
      id,
    ],
  });
  const added: string[] = [];
  const modified: string[] = [];
  const removed: string[] = [];
  const fields = changes.stdout.split("\0");
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const status = fields[index] ?? "";
    const file = fields[index + 1] ?? "";
    if (status.startsWith("A") || status.startsWith("C")) added.push(file);
    else if (status.startsWith("D")) removed.push(file);
    else if (status !== "") modified.push(file);
  }
  return {
    id: commitId.trim(),
    treeId,
    message: message.join(FIELD).replace(/\n+$/, ""),
    timestamp,
    author: { name: authorName, email: authorEmail },
    committer: { name: committerName, email: committerEmail },
    added,
    modified,
    removed,
  };
}

/**
 * Tells whether moving a ref from `before` to `after` rewrote history (`before` is not an ancestor
 * of `after`), which GitHub reports as `forced`.
 *
 * @example
 * ```ts
 * if (await isForcedUpdate({ gitDir, before, after })) console.log("force-pushed");
 * ```
 */
export async function isForcedUpdate(options: {
  readonly gitDir: string;
  readonly before: string;
  readonly after: string;
}): Promise<boolean> {
  const { exitCode } = await runGit({
    gitDir: options.gitDir,
    args: ["merge-base", "--is-ancestor", options.before, options.after],
    okExitCodes: [0, 1],
  });
  return exitCode === 1;
}

/**
 * Resolves an object id to the commit it points at (peeling annotated tags), or `undefined`.
 *
 * @example
 * ```ts
 * const commit = await peelToCommit({ gitDir, id: tagObjectId });
 * ```
 */
export async function peelToCommit(options: {
  readonly gitDir: string;
  readonly id: string;
}): Promise<string | undefined> {
  const { stdout, exitCode } = await runGit({
    gitDir: options.gitDir,
    args: ["rev-parse", "--verify", "--quiet", `${options.id}^{commit}`],
    okExitCodes: [0, 1],
  });
  return exitCode === 0 ? stdout.trim() : undefined;
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}
