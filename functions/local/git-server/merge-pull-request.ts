import { readBranchHeads } from "./branch-heads.js";
import { githubLoginOf } from "./github-login.js";
import { mergeBranch } from "./merge-branch.js";
import type { RefUpdate } from "./post-receive-hook.js";
import { pullRequestError } from "./pull-request-error.js";
import type { MergePullRequestInput } from "./pull-request-input.js";
import type { LocalPullRequest, PullRequestStore } from "./pull-request-store.js";
import { withBranchHeads } from "./pull-request-view.js";
import type { LocalRepository } from "./repository-store.js";
import { runGit } from "./run-git.js";

/** Options for {@link mergePullRequest}. */
export interface MergePullRequestOptions {
  readonly store: PullRequestStore;
  readonly repository: LocalRepository;
  readonly number: number;
  readonly input: MergePullRequestInput;
  /** Subject of the token that merges (becomes the merge commit's author by its login). */
  readonly mergedBy: string;
  readonly now: () => Date;
}

/** A merge that moved a base branch, to be announced like a push of that branch. */
export interface CompletedMerge {
  readonly repository: LocalRepository;
  /** The base branch's update: `before` its old head, `after` the merge commit. */
  readonly update: RefUpdate;
  /** Subject of the token that merged. */
  readonly mergedBy: string;
  /** The pull request as stored after the merge: closed, merged. */
  readonly pullRequest: LocalPullRequest;
}

/** Times the merge is built again when a push moves the base branch meanwhile. */
const ATTEMPTS = 3;

/**
 * Merges an open pull request the way GitHub's merge button does: `merge` makes the commit
 * "Merge pull request #N from <owner>:<branch>" (the title as its body) with parents
 * `[base head, pull request head]`; `squash` makes one commit on the base head whose message is,
 * as GitHub's default, the single commit's own message with " (#N)" after its first line, or
 * "<title> (#N)" listing every commit's message.
 * `rebase` is refused as on a repository that does not allow rebase merges. The pull request is
 * stored closed and merged before this resolves. Refusals: `PULL_REQUEST_NOT_MERGEABLE` (closed,
 * conflicting, branch gone, nothing to merge), `PULL_REQUEST_HEAD_MODIFIED` (`input.sha` is not
 * the head), `PULL_REQUEST_NOT_FOUND`.
 *
 * @example
 * ```ts
 * const { update } = await mergePullRequest({ store, repository, number: 1, input: { method: "merge" }, mergedBy: grant.subject, now: () => clock.now() });
 * ```
 */
export function mergePullRequest(options: MergePullRequestOptions): Promise<CompletedMerge> {
  const { repository, number, input } = options;
  const { gitDir } = repository;
  return options.store.change(gitDir, async (ledger) => {
    const stored = ledger.pullRequests.find((pr) => pr.number === number);
    if (stored === undefined) {
      throw pullRequestError(
        "PULL_REQUEST_NOT_FOUND",
        `pull request #${number} does not exist in '${repository.fullName}'; list the pull requests to find its number`,
        { repository: repository.fullName, number },
      );
    }
    if (input.method === "rebase") {
      throw pullRequestError(
        "PULL_REQUEST_MERGE_METHOD_NOT_ALLOWED",
        "Rebase merges are not allowed on this repository; use merge_method 'merge' or 'squash'",
        { method: input.method },
      );
    }
    if (stored.state !== "open") throw notMergeable(repository, number, "it is closed");
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const heads = await readBranchHeads(gitDir);
      const current = withBranchHeads(stored, heads);
      const { head, base } = current;
      const gone = [head.ref, base.ref].find((ref) => !heads.has(ref));
      if (gone !== undefined) throw notMergeable(repository, number, `branch '${gone}' no longer exists`);
      if (input.sha !== undefined && input.sha !== head.sha) {
        throw pullRequestError(
          "PULL_REQUEST_HEAD_MODIFIED",
          `the head of pull request #${number} is ${head.sha}, not ${input.sha}; review the new commits and merge again`,
          { number, expected: input.sha, actual: head.sha },
        );
      }
      const contained = await runGit({
        gitDir,
        args: ["merge-base", "--is-ancestor", head.sha, base.sha],
        okExitCodes: [0, 1],
      });
      if (contained.exitCode === 0)
        throw notMergeable(repository, number, `'${base.ref}' already contains it`);
      const login = githubLoginOf(options.mergedBy);
      const result = await mergeBranch({
        gitDir,
        base: base.ref,
        baseSha: base.sha,
        headSha: head.sha,
        method: input.method,
        message: await messageOf(gitDir, current, repository, input),
        identity: { name: login, email: `${login}@noreply.localhost` },
      });
      if (result.status === "conflict") {
        const paths = result.paths.length > 0 ? `: ${result.paths.join(", ")}` : " (no common history)";
        throw notMergeable(repository, number, `'${head.ref}' conflicts with '${base.ref}'${paths}`);
      }
      if (result.status === "base-moved") continue;
      const now = options.now();
      const merged: LocalPullRequest = {
        ...current,
        state: "closed",
        updatedAt: now,
        closedAt: now,
        mergedAt: now,
        mergeCommitSha: result.sha,
        mergedBy: login,
      };
      const pullRequests = ledger.pullRequests.map((pr) => (pr.number === number ? merged : pr));
      const update = { ref: `refs/heads/${base.ref}`, before: base.sha, after: result.sha };
      return {
        next: { ...ledger, pullRequests },
        result: { repository, update, mergedBy: options.mergedBy, pullRequest: merged },
      };
    }
    throw notMergeable(repository, number, `'${stored.base.ref}' kept moving; try again`);
  });
}

async function messageOf(
  gitDir: string,
  pullRequest: LocalPullRequest,
  repository: LocalRepository,
  input: MergePullRequestInput,
): Promise<string> {
  const { number, head, base, title } = pullRequest;
  if (input.method === "squash") {
    const log = await runGit({
      gitDir,
      args: ["log", "--reverse", "--format=%x1e%B", head.sha, `^${base.sha}`],
    });
    const messages = log.stdout
      .split("\x1e")
      .map((message) => message.trim())
      .filter((message) => message.length > 0);
    // GitHub's default: one commit keeps its own message; several are listed under the title.
    const [only] = messages;
    const single = messages.length === 1 && only !== undefined;
    const firstLine = single ? (only.split("\n", 1)[0] ?? title) : title;
    const subject = input.commitTitle ?? `${firstLine} (#${number})`;
    const details = single
      ? only.slice(firstLine.length).trim()
      : messages.map((message) => `* ${message}`).join("\n\n");
    return joined(subject, input.commitMessage ?? details);
  }
  const subject = input.commitTitle ?? `Merge pull request #${number} from ${repository.owner}:${head.ref}`;
  return joined(subject, input.commitMessage ?? title);
}

function joined(subject: string, body: string): string {
  return body === "" ? subject : `${subject}\n\n${body}`;
}

function notMergeable(repository: LocalRepository, number: number, reason: string) {
  return pullRequestError(
    "PULL_REQUEST_NOT_MERGEABLE",
    `pull request #${number} of '${repository.fullName}' cannot be merged: ${reason}`,
    { repository: repository.fullName, number },
  );
}
