import type { Clock } from "../../core/ports/clock.js";
import { readBranchHeads } from "./branch-heads.js";
import { type CompletedMerge, mergePullRequest } from "./merge-pull-request.js";
import { pullRequestError, validationFailed } from "./pull-request-error.js";
import type {
  CreatePullRequestInput,
  ListPullRequestsQuery,
  MergePullRequestInput,
  UpdatePullRequestInput,
} from "./pull-request-input.js";
import type { LocalPullRequest, PullRequestLedger, PullRequestStore } from "./pull-request-store.js";
import { splitHead, withBranchHeads } from "./pull-request-view.js";
import type { LocalRepository } from "./repository-store.js";
import { runGit } from "./run-git.js";

/** Options for {@link LocalPullRequests}. */
export interface LocalPullRequestsOptions {
  readonly store: PullRequestStore;
  readonly clock: Clock;
  /** Told of every merge once it is stored, to announce the base branch's update as a push. */
  readonly onMerged: (merge: CompletedMerge) => void;
}

/**
 * The pull requests of the local repositories, with GitHub's rules: numbers from 1 per
 * repository, at most one open pull request per head branch, head and base must be branches of the
 * repository with commits between them, and a merge is a real merge commit on the base branch.
 *
 * @example
 * ```ts
 * const pulls = new LocalPullRequests({ store: new PullRequestStore(), clock: systemClock, onMerged: announce });
 * const opened = await pulls.create(repository, { title: "Deploy", head: "feature", base: "main", body: null }, "writer");
 * await pulls.merge(repository, opened.number, { method: "merge" }, "arn:aws:iam::000000000000:role/writer");
 * ```
 */
export class LocalPullRequests {
  private readonly options: LocalPullRequestsOptions;

  constructor(options: LocalPullRequestsOptions) {
    this.options = options;
  }

  /** Every pull request of the repository, in number order, open ones with their branches' current commits. */
  async all(repository: LocalRepository): Promise<LocalPullRequest[]> {
    const ledger = await this.options.store.read(repository.gitDir);
    const heads = await readBranchHeads(repository.gitDir);
    return ledger.pullRequests.map((pr) => withBranchHeads(pr, heads));
  }

  /** The pull requests a GitHub list call asks for: filtered, newest first, one page. */
  async search(repository: LocalRepository, query: ListPullRequestsQuery): Promise<LocalPullRequest[]> {
    const head = query.head === undefined ? undefined : splitHead(query.head);
    const matching = (await this.all(repository)).filter(
      (pr) =>
        (query.state === "all" || pr.state === query.state) &&
        (head === undefined ||
          ((head.owner === undefined || head.owner === repository.owner) && head.branch === pr.head.ref)) &&
        (query.base === undefined || query.base === pr.base.ref),
    );
    const start = (query.page - 1) * query.perPage;
    return matching.reverse().slice(start, start + query.perPage);
  }

  /** One pull request, or `PULL_REQUEST_NOT_FOUND`. */
  async get(repository: LocalRepository, number: number): Promise<LocalPullRequest> {
    const found = (await this.all(repository)).find((pr) => pr.number === number);
    if (found === undefined) throw notFound(repository, number);
    return found;
  }

  /** Opens a pull request from `input.head` into `input.base`, opened by `user` (a login). */
  async create(
    repository: LocalRepository,
    input: CreatePullRequestInput,
    user: string,
  ): Promise<LocalPullRequest> {
    const { gitDir } = repository;
    return this.options.store.change(gitDir, async (ledger) => {
      const head = splitHead(input.head);
      if (head.owner !== undefined && head.owner !== repository.owner) {
        throw invalidBranch(
          "head",
          `head '${input.head}' names the owner '${head.owner}', but the local git server has no forks; name a branch of '${repository.owner}/${repository.name}'`,
        );
      }
      const heads = await readBranchHeads(gitDir);
      const headSha = heads.get(head.branch);
      const baseSha = heads.get(input.base);
      if (headSha === undefined) throw missingBranch(repository, "head", head.branch);
      if (baseSha === undefined) throw missingBranch(repository, "base", input.base);
      assertNoOtherOpen(repository, ledger, head.branch);
      const ahead = await runGit({ gitDir, args: ["rev-list", "--count", headSha, `^${baseSha}`] });
      if (ahead.stdout.trim() === "0") {
        throw validationFailed(
          `branch '${head.branch}' has no commits that '${input.base}' lacks; commit and push the change first`,
          [
            {
              resource: "PullRequest",
              code: "custom",
              message: `No commits between ${input.base} and ${head.branch}`,
            },
          ],
        );
      }
      const now = this.options.clock.now();
      const opened: LocalPullRequest = {
        number: ledger.nextNumber,
        title: input.title,
        body: input.body,
        state: "open",
        head: { ref: head.branch, sha: headSha },
        base: { ref: input.base, sha: baseSha },
        user,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        mergedAt: null,
        mergeCommitSha: null,
        mergedBy: null,
      };
      const next = { nextNumber: ledger.nextNumber + 1, pullRequests: [...ledger.pullRequests, opened] };
      return { next, result: opened };
    });
  }

  /** Changes the title, description, base or state (`closed` closes it, `open` reopens it). */
  async update(
    repository: LocalRepository,
    number: number,
    input: UpdatePullRequestInput,
  ): Promise<LocalPullRequest> {
    const { gitDir } = repository;
    return this.options.store.change(gitDir, async (ledger) => {
      const stored = ledger.pullRequests.find((pr) => pr.number === number);
      if (stored === undefined) throw notFound(repository, number);
      const heads = await readBranchHeads(gitDir);
      const current = withBranchHeads(stored, heads);
      const state = input.state ?? current.state;
      if (current.mergedAt !== null && state === "open") {
        throw validationFailed(`pull request #${number} is merged; it cannot be reopened`, [
          {
            resource: "PullRequest",
            code: "custom",
            field: "state",
            message: "state cannot be changed. The pull request has been merged.",
          },
        ]);
      }
      if (current.state === "closed" && state === "open")
        assertNoOtherOpen(repository, ledger, current.head.ref);
      const baseRef = input.base ?? current.base.ref;
      const baseSha = heads.get(baseRef);
      if (input.base !== undefined && baseSha === undefined) throw missingBranch(repository, "base", baseRef);
      const now = this.options.clock.now();
      const changed: LocalPullRequest = {
        ...current,
        ...(input.title === undefined ? {} : { title: input.title }),
        ...(input.body === undefined ? {} : { body: input.body }),
        state,
        base: { ref: baseRef, sha: baseSha ?? current.base.sha },
        updatedAt: now,
        closedAt: state === "closed" ? (current.closedAt ?? now) : null,
      };
      const pullRequests = ledger.pullRequests.map((pr) => (pr.number === number ? changed : pr));
      return { next: { ...ledger, pullRequests }, result: changed };
    });
  }

  /**
   * Merges an open pull request into its base branch (see {@link mergePullRequest}) and, once
   * stored, hands the base branch's update to `onMerged`. `mergedBy` is the token subject.
   */
  async merge(
    repository: LocalRepository,
    number: number,
    input: MergePullRequestInput,
    mergedBy: string,
  ): Promise<{ sha: string; pullRequest: LocalPullRequest }> {
    const merge = await mergePullRequest({
      store: this.options.store,
      repository,
      number,
      input,
      mergedBy,
      now: () => this.options.clock.now(),
    });
    this.options.onMerged(merge);
    return { sha: merge.update.after, pullRequest: merge.pullRequest };
  }

  /** Whether an open pull request merges cleanly now (`null` once closed), as GitHub's `mergeable`. */
  async mergeable(repository: LocalRepository, pullRequest: LocalPullRequest): Promise<boolean | null> {
    if (pullRequest.state !== "open") return null;
    const { gitDir } = repository;
    const { head, base } = pullRequest;
    const common = await runGit({ gitDir, args: ["merge-base", base.sha, head.sha], okExitCodes: [0, 1] });
    if (common.exitCode !== 0) return false;
    const merged = await runGit({
      gitDir,
      args: ["merge-tree", "--write-tree", "--no-messages", base.sha, head.sha],
      okExitCodes: [0, 1],
    });
    return merged.exitCode === 0;
  }
}

function assertNoOtherOpen(repository: LocalRepository, ledger: PullRequestLedger, branch: string): void {
  if (!ledger.pullRequests.some((pr) => pr.state === "open" && pr.head.ref === branch)) return;
  const label = `${repository.owner}:${branch}`;
  throw validationFailed(
    `a pull request from '${label}' is already open; update that one instead of opening another`,
    [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${label}.` }],
  );
}

function missingBranch(repository: LocalRepository, field: "head" | "base", branch: string) {
  return invalidBranch(
    field,
    `${field} branch '${branch}' does not exist in '${repository.fullName}'; push it first or name an existing branch`,
  );
}

function invalidBranch(field: "head" | "base", message: string) {
  return validationFailed(message, [{ resource: "PullRequest", code: "invalid", field, message }]);
}

function notFound(repository: LocalRepository, number: number) {
  return pullRequestError(
    "PULL_REQUEST_NOT_FOUND",
    `pull request #${number} does not exist in '${repository.fullName}'; list the pull requests to find its number`,
    { repository: repository.fullName, number },
  );
}
