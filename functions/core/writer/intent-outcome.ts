import { DetailType } from "../contracts/detail-type.js";
import type { ShiplineError } from "../errors/shipline-error.js";
import type { ConfigRepository } from "../ports/config-repository.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import { pullRequestOpenedEvent } from "../ports/pull-request-host.js";
import type { ProposedChange } from "./propose-changes.js";
import { type StandingImage, UNKNOWN_TAG } from "./standing-image.js";
import { targetFiles } from "./target-files.js";
import type { WriteIntent } from "./write-intent.js";

/** What became of one intent. */
export interface IntentOutcome {
  readonly intentId: string;
  /**
   * `committed`: in the pushed commit; `unchanged`: the branch already held it (no commit for it);
   * `duplicate`: an earlier commit carried it out (found by its `Event-Id`); `pull-request`: it
   * waits in a pull request; `failed`: permanent error.
   */
  readonly status: "committed" | "unchanged" | "duplicate" | "pull-request" | "failed";
  /** The config commit that holds the intent's state (absent when failed or waiting for review). */
  readonly configCommit?: string;
  /** `pull-request`: the pull request it waits in. */
  readonly pullRequest?: ProposedChange;
  /** The file it is about. */
  readonly file: string;
  /** A revert: the image its target holds afterwards (the one it restores). */
  readonly image?: StandingImage;
  readonly error?: ShiplineError;
}

/** Options of {@link outcomeEvent}. */
export interface OutcomeEventOptions {
  readonly intent: WriteIntent;
  readonly outcome: IntentOutcome;
  /** The written repository and branch. */
  readonly repo: Pick<ConfigRepository, "name" | "branch">;
  readonly time: Date;
}

const STEP = "config-writer";

/**
 * The event that reports an intent's outcome: `Pull Request Opened` when it waits in a pull
 * request, `Config Committed` when the branch holds it (committed now, earlier, or already so),
 * `Step Failed` with the error's code and reason when it could not be applied.
 *
 * @example
 * ```ts
 * await publisher.publish([outcomeEvent({ intent, outcome, repo, time: clock.now() })]);
 * ```
 */
export function outcomeEvent(options: OutcomeEventOptions): PublishRequest {
  const { intent, outcome, repo, time } = options;
  const base = { app: intent.app, commit: intent.commit, correlationId: intent.correlationId };
  if (outcome.pullRequest !== undefined) {
    const { branch, headCommit, ...result } = outcome.pullRequest;
    return pullRequestOpenedEvent({
      intent,
      configRepo: repo.name,
      branch,
      headCommit,
      result,
      time,
    });
  }
  if (outcome.configCommit === undefined) {
    const error = outcome.error;
    return {
      detailType: DetailType.StepFailed,
      detail: {
        ...base,
        step: STEP,
        code: error?.code ?? "WRITER_INTENT_FAILED",
        reason: error?.message ?? `intent ${intent.intentId} could not be applied`,
        failedEventId: intent.intentId,
        data: { ...(error?.data ?? {}), environment: intent.environment, file: outcome.file },
      },
      time,
    };
  }
  const standing = standingOf(intent, outcome);
  return {
    detailType: DetailType.ConfigCommitted,
    detail: {
      ...base,
      environment: intent.environment,
      configRepo: repo.name,
      branch: repo.branch,
      configCommit: outcome.configCommit,
      files: [...new Set(targetFiles(intent.target))],
      ...standing,
      ...(intent.kind === "update" && intent.target.chartVersion ? { chartVersion: intent.image.tag } : {}),
      intentId: intent.intentId,
      kind: intent.kind,
    },
    time,
  };
}

/** The image an intent leaves in its target: a revert's restored image, with the one it took out apart. */
function standingOf(
  intent: WriteIntent,
  outcome: IntentOutcome,
): { tag: string; digest?: string; replaced?: { tag: string; digest: string } } {
  if (intent.kind !== "revert") return { tag: intent.image.tag, digest: intent.image.digest };
  const replaced = { tag: intent.image.tag, digest: intent.image.digest };
  const restored = outcome.image ?? { tag: UNKNOWN_TAG };
  return {
    tag: restored.tag,
    ...(restored.digest === undefined ? {} : { digest: restored.digest }),
    replaced,
  };
}
