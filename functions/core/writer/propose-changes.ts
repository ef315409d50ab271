import { ShiplineError } from "../errors/shipline-error.js";
import type { Clock } from "../ports/clock.js";
import type { CommitIdentity, ConfigRepository } from "../ports/config-repository.js";
import {
  type PullRequestHost,
  type PullRequestResult,
  pullRequestBranch,
} from "../ports/pull-request-host.js";
import { renderCommitMessage, subjectOf } from "./commit-message.js";
import { type IntentPlan, planBatch } from "./plan-batch.js";
import { pushFailure } from "./push-failure.js";
import { type RetryPolicy, retryDelayMs } from "./retry-policy.js";
import { targetFiles } from "./target-files.js";
import type { WriteIntent } from "./write-intent.js";

/** Options of {@link proposeChanges}. */
export interface ProposeChangesOptions {
  readonly repo: ConfigRepository;
  /** The git host's review API; `undefined` fails every intent with `PULL_REQUEST_NOT_CONFIGURED`. */
  readonly host: PullRequestHost | undefined;
  /** The written branch's head the proposals are built on. */
  readonly head: string;
  /** `mode: pull-request` intents not carried out yet, in queue order. */
  readonly intents: readonly WriteIntent[];
  readonly author: CommitIdentity;
  /** Subject template (config: `configRepo.commitMessage`). */
  readonly messageTemplate: string;
  readonly clock: Clock;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/** The pull request an intent now waits in. */
export interface ProposedChange extends PullRequestResult {
  /** Its side branch, `shipline/<environment>/<app>`. */
  readonly branch: string;
  /** The commit pushed to the branch. */
  readonly headCommit: string;
}

/** What became of one intent of {@link proposeChanges}. */
export type ProposalOutcome =
  | {
      readonly intentId: string;
      readonly status: "pull-request";
      readonly file: string;
      readonly pullRequest: ProposedChange;
    }
  /** The branch already asks for the image: nothing to review. */
  | {
      readonly intentId: string;
      readonly status: "unchanged";
      readonly file: string;
      readonly configCommit: string;
    }
  | {
      readonly intentId: string;
      readonly status: "failed";
      readonly file: string;
      readonly error: ShiplineError;
    };

/**
 * Carries out `mode: pull-request` intents as pull requests, one per app and environment: the
 * intents of each (environment, app) are planned on the written branch's head, committed on top
 * of it and force-pushed to `shipline/<environment>/<app>`, and the pull request from that branch
 * is opened or, when one is open, updated, so it always shows the newest image only and is never
 * duplicated. Merging it is the deployment. An intent the branch already satisfies is
 * `unchanged`; one that cannot be applied (or whose pull request the host refuses for good) is
 * `failed`. A side branch still rejected after the retry policy's attempts throws a retryable
 * `PUSH_REJECTED`, and a retryable host failure is thrown as it is.
 *
 * @example
 * ```ts
 * const outcomes = await proposeChanges({ repo, host, head, intents, author, messageTemplate, clock, retry: WRITER_RETRY, sleep, random: Math.random });
 * ```
 */
export async function proposeChanges(options: ProposeChangesOptions): Promise<ProposalOutcome[]> {
  const outcomes: ProposalOutcome[] = [];
  for (const group of groupsOf(options.intents)) outcomes.push(...(await proposeGroup(options, group)));
  return outcomes;
}

function groupsOf(intents: readonly WriteIntent[]): WriteIntent[][] {
  const groups = new Map<string, WriteIntent[]>();
  for (const intent of intents) {
    const key = pullRequestBranch(intent.environment, intent.app);
    groups.set(key, [...(groups.get(key) ?? []), intent]);
  }
  return [...groups.values()];
}

async function proposeGroup(
  options: ProposeChangesOptions,
  intents: WriteIntent[],
): Promise<ProposalOutcome[]> {
  const { repo, head } = options;
  const host = options.host;
  if (host === undefined) return intents.map((intent) => failedOutcome(intent, notConfigured(intent)));
  const files = new Map<string, string | undefined>();
  for (const path of new Set(intents.flatMap((intent) => targetFiles(intent.target)))) {
    files.set(path, await repo.readFile({ path, commit: head }));
  }
  const plan = planBatch({ intents, files });
  const carried = plan.intents.filter((entry) => entry.status !== "failed");
  const failed = plan.intents.flatMap((entry) =>
    entry.status === "failed" ? [failedOutcome(entry.intent, entry.error)] : [],
  );
  const last = carried.at(-1)?.intent;
  if (plan.files.length === 0 || last === undefined) {
    return [...carried.map((entry): ProposalOutcome => unchangedOutcome(entry, head)), ...failed];
  }
  const branch = pullRequestBranch(last.environment, last.app);
  const headCommit = await pushProposal(
    options,
    branch,
    plan.files,
    carried.map((entry) => entry.intent),
  );
  let result: PullRequestResult;
  try {
    result = await host.openOrUpdatePullRequest({
      repo: repo.name,
      branch,
      base: repo.branch,
      title: subjectOf(options.messageTemplate, last),
      body: describeProposal({ intents: carried, base: repo.branch, head }),
    });
  } catch (error) {
    if (!(error instanceof ShiplineError) || error.retryable) throw error;
    return [...carried.map((entry) => failedOutcome(entry.intent, error)), ...failed];
  }
  const pullRequest: ProposedChange = { ...result, branch, headCommit };
  return [
    ...carried.map(
      (entry): ProposalOutcome => ({
        intentId: entry.intent.intentId,
        status: "pull-request",
        file: entry.file,
        pullRequest,
      }),
    ),
    ...failed,
  ];
}

async function pushProposal(
  options: ProposeChangesOptions,
  branch: string,
  files: readonly { path: string; content: string }[],
  intents: readonly WriteIntent[],
): Promise<string> {
  const { repo, retry } = options;
  let reason = "";
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt += 1) {
    const commit = await repo.commitFiles({
      parent: options.head,
      files,
      message: renderCommitMessage({ intents, template: options.messageTemplate }),
      author: options.author,
      time: options.clock.now(),
    });
    const pushed = await repo.pushBranch({ commit, branch });
    if (pushed.status === "pushed") return commit;
    if (pushed.status === "refused")
      throw pushFailure({ repository: repo.name, branch, reason: pushed.reason, refused: true });
    reason = pushed.reason;
    if (attempt < retry.maxAttempts) await options.sleep(retryDelayMs(retry, attempt, options.random));
  }
  throw pushFailure({ repository: repo.name, branch, reason, attempts: retry.maxAttempts });
}

/** The pull request's description: what it deploys, where, and how it behaves. */
function describeProposal(options: {
  readonly intents: readonly IntentPlan[];
  readonly base: string;
  readonly head: string;
}): string {
  const rows = options.intents.map(({ intent, file }) =>
    [
      intent.environment,
      intent.app,
      `\`${intent.image.repository}:${intent.image.tag}\``,
      `\`${intent.image.digest}\``,
      `\`${intent.commit.slice(0, 12)}\``,
      intent.scanVerdict ?? "-",
      `\`${file}\``,
    ].join(" | "),
  );
  return [
    "Shipline proposes this deployment because the environment asks for review (`approval: pull-request`).",
    "",
    "| Environment | App | Image | Digest | Source commit | Scan | File |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row} |`),
    "",
    `Built on \`${options.base}\` at \`${options.head.slice(0, 12)}\`. Merging this pull request deploys it.`,
    "When a newer image is approved, Shipline replaces this branch's commit and updates this pull request.",
    "",
  ].join("\n");
}

function unchangedOutcome(entry: IntentPlan, head: string): ProposalOutcome {
  return { intentId: entry.intent.intentId, status: "unchanged", file: entry.file, configCommit: head };
}

function failedOutcome(intent: WriteIntent, error: ShiplineError): ProposalOutcome {
  return { intentId: intent.intentId, status: "failed", file: intent.target.file, error };
}

function notConfigured(intent: WriteIntent): ShiplineError {
  return new ShiplineError({
    code: "PULL_REQUEST_NOT_CONFIGURED",
    message: `${intent.environment} asks for pull requests but this writer has no pull request host; set configRepo.pullRequest (provider github or gitlab)`,
    data: { environment: intent.environment, app: intent.app },
  });
}
