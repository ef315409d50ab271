import { runGit } from "./run-git.js";

/** How {@link mergeBranch} combines the branches (GitHub's `merge_method`). */
export type MergeMethod = "merge" | "squash";

/** Options for {@link mergeBranch}. */
export interface MergeBranchOptions {
  /** The bare repository. */
  readonly gitDir: string;
  /** The branch that receives the merge, without `refs/heads/`. */
  readonly base: string;
  /** The base branch's commit the merge is built on; the branch is only moved if it still points there. */
  readonly baseSha: string;
  /** The commit merged in (the pull request's head). */
  readonly headSha: string;
  /** `merge`: a merge commit with parents `[baseSha, headSha]`; `squash`: one commit on `baseSha`. */
  readonly method: MergeMethod;
  /** The new commit's message. */
  readonly message: string;
  /** Author and committer of the new commit. */
  readonly identity: { readonly name: string; readonly email: string };
}

/** What {@link mergeBranch} did. */
export type MergeBranchResult =
  | { readonly status: "merged"; readonly sha: string }
  /** The branches change the same lines (`paths` lists them) or share no history: nothing was written to a branch. */
  | { readonly status: "conflict"; readonly paths: readonly string[] }
  /** The base branch moved away from `baseSha` meanwhile (a push): build the merge again. */
  | { readonly status: "base-moved" };

/**
 * Merges one commit into a branch of a bare repository without a work tree, as GitHub's merge
 * button does: `git merge-tree --write-tree` computes the merged tree, `git commit-tree` makes the
 * commit, and `git update-ref <branch> <new> <old>` moves the branch only if nobody moved it
 * meanwhile. A conflict leaves every branch where it was.
 *
 * @example
 * ```ts
 * const result = await mergeBranch({ gitDir, base: "main", baseSha, headSha, method: "merge", message: "Merge pull request #1 from local:feature\n\nAdd a feature", identity: { name: "writer", email: "writer@noreply.localhost" } });
 * ```
 */
export async function mergeBranch(options: MergeBranchOptions): Promise<MergeBranchResult> {
  const { gitDir, baseSha, headSha } = options;
  const common = await runGit({ gitDir, args: ["merge-base", baseSha, headSha], okExitCodes: [0, 1] });
  if (common.exitCode === 1) return { status: "conflict", paths: [] };
  const merged = await runGit({
    gitDir,
    args: ["merge-tree", "--write-tree", "--name-only", "--no-messages", baseSha, headSha],
    okExitCodes: [0, 1],
  });
  const [tree = "", ...conflicted] = merged.stdout.split("\n");
  if (merged.exitCode === 1) {
    return { status: "conflict", paths: conflicted.filter((line) => line.length > 0) };
  }
  const parents = options.method === "merge" ? ["-p", baseSha, "-p", headSha] : ["-p", baseSha];
  const { name, email } = options.identity;
  const committed = await runGit({
    gitDir,
    args: [
      "-c",
      `user.name=${name}`,
      "-c",
      `user.email=${email}`,
      "commit-tree",
      tree.trim(),
      ...parents,
      "-m",
      options.message,
    ],
  });
  const sha = committed.stdout.trim();
  const ref = `refs/heads/${options.base}`;
  const moved = await runGit({
    gitDir,
    args: ["update-ref", "-m", `merge ${headSha}`, ref, sha, baseSha],
    okExitCodes: [0, 128],
  });
  if (moved.exitCode === 0) return { status: "merged", sha };
  const now = await runGit({ gitDir, args: ["rev-parse", "--verify", "--quiet", ref], okExitCodes: [0, 1] });
  if (now.stdout.trim() !== baseSha) return { status: "base-moved" };
  // The branch did not move, so update-ref failed for another reason: report git's own error.
  await runGit({ gitDir, args: ["update-ref", "-m", `merge ${headSha}`, ref, sha, baseSha] });
  return { status: "merged", sha };
}
