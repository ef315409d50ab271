import { DEFAULT_COMMIT_MESSAGE } from "../config/config-repo.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { Clock } from "../ports/clock.js";
import type { CommitIdentity, ConfigRepository } from "../ports/config-repository.js";
import type { EventPublisher, PublishRequest } from "../ports/event-publisher.js";
import type { PullRequestHost } from "../ports/pull-request-host.js";
import {
  eventIdsOf,
  type IntentTrailerBlock,
  intentTrailerBlocks,
  renderCommitMessage,
} from "./commit-message.js";
import { type IntentOutcome, outcomeEvent } from "./intent-outcome.js";
import { type IntentPlan, planBatch } from "./plan-batch.js";
import type { RevertSource } from "./plan-revert.js";
import { proposeChanges } from "./propose-changes.js";
import { pushFailure } from "./push-failure.js";
import { type RetryPolicy, retryDelayMs, WRITER_RETRY } from "./retry-policy.js";
import { asWritten, imageInTarget, type StandingImage, standingImages } from "./standing-image.js";
import { targetFiles } from "./target-files.js";
import type { WriteIntent } from "./write-intent.js";

export type { IntentOutcome } from "./intent-outcome.js";

/** Options of {@link writeConfig}. */
export interface WriteConfigOptions {
  /** The config repository's branch. */
  readonly repo: ConfigRepository;
  /** The batch, in queue order (one commit for all of them). */
  readonly intents: readonly WriteIntent[];
  /** Author and committer of the commit (config: `configRepo.author`). */
  readonly author: CommitIdentity;
  /** Subject template (config: `configRepo.commitMessage`). @default DEFAULT_COMMIT_MESSAGE */
  readonly messageTemplate?: string;
  readonly clock: Clock;
  /**
   * Receives one `Config Committed` per intent (`Pull Request Opened` for an intent waiting in a
   * pull request), and `Step Failed` per intent that cannot be applied.
   */
  readonly publisher?: EventPublisher;
  /** Opens the pull requests of `mode: pull-request` intents (config: `configRepo.pullRequest`). */
  readonly pullRequests?: PullRequestHost;
  /** Attempts and back-off on rejected pushes. @default WRITER_RETRY */
  readonly retry?: RetryPolicy;
  /** How many recent commits are searched for an intent's `Event-Id`. @default 200 */
  readonly historyLimit?: number;
  /** Waits between attempts. @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Random numbers in [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
}

/** The outcome of {@link writeConfig}. */
export interface WriteConfigResult {
  /** The pushed commit, absent when nothing had to change (pull request branches aside). */
  readonly commit?: string;
  /** The branch head after the write. */
  readonly head: string;
  /** Push attempts made (0 when nothing was pushed). */
  readonly attempts: number;
  /** One per intent, in input order. */
  readonly outcomes: readonly IntentOutcome[];
}

/**
 * The config writer's use case: carries out a batch of write intents as one commit on the config
 * repository's branch. Each attempt fetches the head, skips intents already carried out (their
 * `Event-Id` trailer is in recent history), plans every edit on the files at head, commits the
 * changed files only (no commit when nothing changed) and pushes. A rejected push (the branch
 * moved) starts a new attempt on the new head after a jittered back-off; when the attempts are
 * used up it throws `PUSH_REJECTED` (retryable). After the push it publishes one
 * `Config Committed` per intent (a duplicate is re-published with its original commit) and one
 * `Step Failed` per intent that cannot be applied (permanent errors are recorded, not thrown).
 *
 * `mode: pull-request` intents are not committed to the branch: after the commit (if any) they
 * are proposed on the new head through {@link proposeChanges}, one pull request per app and
 * environment, and reported as `Pull Request Opened`; one whose `Event-Id` is already in the
 * branch (its pull request was merged) is a `duplicate` and reported as `Config Committed`.
 *
 * @example
 * ```ts
 * const result = await writeConfig({ repo, intents, author: config.configRepo.author, messageTemplate: config.configRepo.commitMessage, clock: systemClock, publisher });
 * result.outcomes; // [{ intentId, status: "committed", configCommit: "3f2a...", file: "envs/dev/values.yaml" }]
 * ```
 */
export async function writeConfig(options: WriteConfigOptions): Promise<WriteConfigResult> {
  const intents = uniqueIntents(options.intents);
  const direct = await commitIntents(
    options,
    intents.filter((intent) => intent.mode === "commit"),
  );
  const review = intents.filter((intent) => intent.mode === "pull-request");
  const outcomes = new Map(direct.outcomes.map((outcome) => [outcome.intentId, outcome]));
  if (review.length > 0) {
    for (const outcome of await proposeOnHead(options, direct.head, review))
      outcomes.set(outcome.intentId, outcome);
  }
  const result: WriteConfigResult = {
    ...(direct.commit === undefined ? {} : { commit: direct.commit }),
    head: direct.head,
    attempts: direct.attempts,
    outcomes: options.intents.map((intent) => outcomes.get(intent.intentId) ?? missingOutcome(intent)),
  };
  return publish(options, result);
}

/** Commits the `mode: commit` intents (see {@link writeConfig}); with none it only syncs the head. */
async function commitIntents(
  options: WriteConfigOptions,
  intents: readonly WriteIntent[],
): Promise<WriteConfigResult> {
  const { repo } = options;
  const policy = options.retry ?? WRITER_RETRY;
  let revertSources: Map<string, RevertSource | ShiplineError> | undefined;
  let lastReason = "";
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
    const head = await repo.sync();
    const history = await readHistory(repo, head, intents, options.historyLimit ?? 200);
    const pending = intents.filter((intent) => !history.done.has(intent.intentId));
    revertSources ??= await readRevertSources(repo, pending);
    const plan = await planOnHead(repo, head, pending, revertSources);
    const standing = standingImages({ intents: plan.intents, texts: plan.texts, history: history.blocks });
    // A revert carried out before (a redelivery) reports what its commit left in the file.
    for (const intent of intents) {
      const original = history.done.get(intent.intentId);
      if (intent.kind !== "revert" || original === undefined) continue;
      const text = await repo.readFile({ path: intent.target.file, commit: original });
      standing.set(intent.intentId, imageInTarget(intent, text, history.blocks));
    }
    const outcome = (commit: string | undefined, pushes: number): WriteConfigResult =>
      finish({ intents, history, plan, standing, commit, head: commit ?? head, attempts: pushes });
    if (plan.files.length === 0) return outcome(undefined, attempt - 1);
    const carried = plan.intents
      .filter((entry) => entry.status !== "failed")
      .map((entry) => asWritten(entry.intent, standing.get(entry.intent.intentId)));
    const commit = await repo.commitFiles({
      parent: head,
      files: plan.files,
      message: renderCommitMessage({
        intents: carried,
        ...(options.messageTemplate === undefined ? {} : { template: options.messageTemplate }),
      }),
      author: options.author,
      time: options.clock.now(),
    });
    const pushed = await repo.push(commit);
    if (pushed.status === "pushed") return outcome(commit, attempt);
    if (pushed.status === "refused")
      throw pushFailure({ repository: repo.name, branch: repo.branch, reason: pushed.reason, refused: true });
    lastReason = pushed.reason;
    if (attempt < policy.maxAttempts)
      await sleepOf(options)(retryDelayMs(policy, attempt, randomOf(options)));
  }
  throw pushFailure({
    repository: repo.name,
    branch: repo.branch,
    reason: lastReason,
    attempts: policy.maxAttempts,
  });
}

/** Proposes the `mode: pull-request` intents on the head; those already merged are duplicates. */
async function proposeOnHead(
  options: WriteConfigOptions,
  head: string,
  intents: readonly WriteIntent[],
): Promise<IntentOutcome[]> {
  const { done } = await readHistory(options.repo, head, intents, options.historyLimit ?? 200);
  const merged = intents.flatMap((intent): IntentOutcome[] => {
    const configCommit = done.get(intent.intentId);
    return configCommit === undefined
      ? []
      : [{ intentId: intent.intentId, status: "duplicate", configCommit, file: intent.target.file }];
  });
  const proposals = await proposeChanges({
    repo: options.repo,
    host: options.pullRequests,
    head,
    intents: intents.filter((intent) => !done.has(intent.intentId)),
    author: options.author,
    messageTemplate: options.messageTemplate ?? DEFAULT_COMMIT_MESSAGE,
    clock: options.clock,
    retry: options.retry ?? WRITER_RETRY,
    sleep: sleepOf(options),
    random: randomOf(options),
  });
  return [...merged, ...proposals];
}

function sleepOf(options: WriteConfigOptions): (ms: number) => Promise<void> {
  return options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
}

function randomOf(options: WriteConfigOptions): () => number {
  return options.random ?? Math.random;
}

function missingOutcome(intent: WriteIntent): IntentOutcome {
  return { intentId: intent.intentId, status: "failed", file: intent.target.file };
}

function uniqueIntents(intents: readonly WriteIntent[]): WriteIntent[] {
  const seen = new Set<string>();
  return intents.filter((intent) => !seen.has(intent.intentId) && seen.add(intent.intentId));
}

/** What recent history tells: the intents carried out (by intent id: config commit) and every intent's trailers. */
interface History {
  readonly done: ReadonlyMap<string, string>;
  /** Every intent trailer block of the recent commits, newest first. */
  readonly blocks: readonly IntentTrailerBlock[];
}

async function readHistory(
  repo: ConfigRepository,
  head: string,
  intents: readonly WriteIntent[],
  limit: number,
): Promise<History> {
  const done = new Map<string, string>();
  const blocks: IntentTrailerBlock[] = [];
  if (intents.length === 0) return { done, blocks };
  const wanted = new Set(intents.map((intent) => intent.intentId));
  for (const commit of await repo.recentCommits({ from: head, limit })) {
    for (const id of eventIdsOf(commit.message)) {
      if (wanted.has(id) && !done.has(id)) done.set(id, commit.oid);
    }
    blocks.push(...intentTrailerBlocks(commit.message));
  }
  return { done, blocks };
}

async function readRevertSources(
  repo: ConfigRepository,
  intents: readonly WriteIntent[],
): Promise<Map<string, RevertSource | ShiplineError>> {
  const sources = new Map<string, RevertSource | ShiplineError>();
  for (const intent of intents) {
    if (intent.kind !== "revert" || intent.revertOf === undefined) continue;
    const configCommit = intent.revertOf;
    const file = intent.target.file;
    try {
      const commit = await repo.readCommit(configCommit);
      const parent = commit.parents[0];
      const before = parent === undefined ? undefined : await repo.readFile({ path: file, commit: parent });
      const after = await repo.readFile({ path: file, commit: configCommit });
      // The chart file as the reverted commit found and left it, to put its chart version back.
      const chartFile = intent.target.chartVersion?.file;
      const chart =
        chartFile === undefined || chartFile === file
          ? undefined
          : {
              before:
                parent === undefined ? undefined : await repo.readFile({ path: chartFile, commit: parent }),
              after: await repo.readFile({ path: chartFile, commit: configCommit }),
            };
      sources.set(intent.intentId, { configCommit, file, before, after, ...(chart ? { chart } : {}) });
    } catch (error) {
      if (!(error instanceof ShiplineError) || error.retryable) throw error;
      sources.set(intent.intentId, error);
    }
  }
  return sources;
}

async function planOnHead(
  repo: ConfigRepository,
  head: string,
  intents: readonly WriteIntent[],
  sources: ReadonlyMap<string, RevertSource | ShiplineError>,
): Promise<{
  intents: IntentPlan[];
  files: { path: string; content: string }[];
  texts: ReadonlyMap<string, string | undefined>;
}> {
  const unreadable = (intent: WriteIntent) => sources.get(intent.intentId) instanceof ShiplineError;
  const plannable = intents.filter((intent) => !unreadable(intent));
  const files = new Map<string, string | undefined>();
  for (const path of new Set(plannable.flatMap((intent) => targetFiles(intent.target)))) {
    files.set(path, await repo.readFile({ path, commit: head }));
  }
  const reverts = new Map<string, RevertSource>();
  for (const [id, source] of sources) if (!(source instanceof ShiplineError)) reverts.set(id, source);
  const plan = planBatch({ intents: plannable, files, reverts });
  const failed = intents.filter(unreadable).map((intent): IntentPlan => {
    const error = sources.get(intent.intentId);
    return { intent, status: "failed", file: intent.target.file, error: asError(error) };
  });
  const texts = new Map(files);
  for (const file of plan.files) texts.set(file.path, file.content);
  return { intents: [...plan.intents, ...failed], files: [...plan.files], texts };
}

function asError(value: RevertSource | ShiplineError | undefined): ShiplineError {
  return value instanceof ShiplineError
    ? value
    : new ShiplineError({ code: "REVERT_SOURCE_MISSING", message: "revert source missing", retryable: true });
}

function finish(options: {
  readonly intents: readonly WriteIntent[];
  readonly history: History;
  readonly plan: { readonly intents: readonly IntentPlan[] };
  readonly standing: ReadonlyMap<string, StandingImage>;
  readonly commit: string | undefined;
  readonly head: string;
  readonly attempts: number;
}): WriteConfigResult {
  const { intents, history, plan, standing, commit, head, attempts } = options;
  const byId = new Map(plan.intents.map((entry) => [entry.intent.intentId, entry]));
  const outcomes = intents.map((intent): IntentOutcome => {
    const file = intent.target.file;
    const original = history.done.get(intent.intentId);
    if (original !== undefined) {
      const image = intent.kind === "revert" ? standing.get(intent.intentId) : undefined;
      return {
        intentId: intent.intentId,
        status: "duplicate",
        configCommit: original,
        file,
        ...(image === undefined ? {} : { image }),
      };
    }
    const entry = byId.get(intent.intentId);
    if (entry === undefined || entry.status === "failed") {
      return {
        intentId: intent.intentId,
        status: "failed",
        file,
        ...(entry?.status === "failed" ? { error: entry.error } : {}),
      };
    }
    const image = standing.get(intent.intentId);
    return {
      intentId: intent.intentId,
      status: entry.status === "changed" ? "committed" : "unchanged",
      configCommit: head,
      file,
      ...(image === undefined ? {} : { image }),
    };
  });
  return { ...(commit === undefined ? {} : { commit }), head, attempts, outcomes };
}

async function publish(options: WriteConfigOptions, result: WriteConfigResult): Promise<WriteConfigResult> {
  if (!options.publisher) return result;
  const requests: PublishRequest[] = [];
  const published = new Set<string>();
  for (const [index, outcome] of result.outcomes.entries()) {
    const intent = options.intents[index];
    if (intent === undefined || published.has(intent.intentId)) continue;
    published.add(intent.intentId);
    requests.push(outcomeEvent({ intent, outcome, repo: options.repo, time: options.clock.now() }));
  }
  if (requests.length > 0) await options.publisher.publish(requests);
  return result;
}
