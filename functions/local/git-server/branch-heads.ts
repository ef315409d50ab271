import { runGit } from "./run-git.js";

/**
 * The branches of a repository and the commit each points at, keyed by branch name (without
 * `refs/heads/`), read in one `git for-each-ref`.
 *
 * @example
 * ```ts
 * const heads = await readBranchHeads(gitDir);
 * heads.get("main"); // "3f2a…" or undefined when there is no such branch
 * ```
 */
export async function readBranchHeads(gitDir: string): Promise<Map<string, string>> {
  const { stdout } = await runGit({
    gitDir,
    args: ["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/"],
  });
  const heads = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const space = line.indexOf(" ");
    if (space === -1) continue;
    heads.set(line.slice(space + 1).replace(/^refs\/heads\//, ""), line.slice(0, space));
  }
  return heads;
}
