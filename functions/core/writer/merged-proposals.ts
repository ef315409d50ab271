import type { ShiplineConfig } from "../config/shipline-config.js";
import { DetailType } from "../contracts/detail-type.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";
import { configCommittedDetail } from "../contracts/events/config-committed.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import { type IntentTrailerBlock, intentTrailerBlocks, TRAILER_KEYS } from "./commit-message.js";
import { notConfigBranch } from "./config-branch-push.js";

/** Options of {@link mergedProposals}. */
export interface MergedProposalsOptions {
  /** A push to some repository. */
  readonly push: CommitPushed;
  readonly config: Pick<ShiplineConfig, "configRepo" | "environments" | "apps">;
  readonly time: Date;
}

/** An intent of a pushed commit that is not reported, and why. */
export interface SkippedProposal {
  readonly intentId: string;
  readonly reason: string;
}

/** The outcome of {@link mergedProposals}. */
export interface MergedProposalsResult {
  /** One `Config Committed` per merged intent, for the push's new head. */
  readonly events: readonly PublishRequest<typeof DetailType.ConfigCommitted>[];
  readonly skipped: readonly SkippedProposal[];
  /** Set when the push is not about merged proposals at all (another repository or branch). */
  readonly ignored?: string;
}

/**
 * Finds Shipline's pull requests among the commits of a push to the config repository's branch
 * and reports each intent they carry as `Config Committed` on the push's new head, so that merging
 * a pull request deploys and is verified like a direct commit. Only environments with
 * `approval: pull-request` count (the writer commits every other intent itself and has reported
 * it already); reverts are always committed directly. Each intent is read from its commit's trailer
 * block (`Shipline-App` … `Event-Id`): merge with a merge commit or a rebase, or keep the commit
 * message when squashing. An intent whose block lacks a field, or names an app or deploy target the
 * configuration does not have, is skipped with the reason.
 *
 * @example
 * ```ts
 * const { events, skipped } = mergedProposals({ push, config, time: clock.now() });
 * await publisher.publish([...events]);
 * ```
 */
export function mergedProposals(options: MergedProposalsOptions): MergedProposalsResult {
  const { push, config } = options;
  const ignored = notConfigBranch(push, config);
  if (ignored !== undefined) return { events: [], skipped: [], ignored };
  const reviewed = new Set(
    config.environments
      .filter((environment) => environment.approval === "pull-request")
      .map((environment) => environment.name),
  );
  const events: PublishRequest<typeof DetailType.ConfigCommitted>[] = [];
  const skipped: SkippedProposal[] = [];
  const seen = new Set<string>();
  for (const trailers of push.commits.flatMap((commit) => intentTrailerBlocks(commit.message))) {
    const intentId = trailers.get(TRAILER_KEYS.eventId) ?? "";
    const environment = trailers.get(TRAILER_KEYS.environment) ?? "";
    if (seen.has(intentId) || !reviewed.has(environment) || trailers.has(TRAILER_KEYS.reverts)) continue;
    seen.add(intentId);
    const event = committedEvent(options, trailers);
    if ("reason" in event) skipped.push({ intentId, reason: event.reason });
    else events.push(event);
  }
  return { events, skipped };
}

function committedEvent(
  options: MergedProposalsOptions,
  trailers: IntentTrailerBlock,
): PublishRequest<typeof DetailType.ConfigCommitted> | { readonly reason: string } {
  const { push, config } = options;
  const field = (name: string): string | undefined => trailers.get(name) || undefined;
  const appName = field(TRAILER_KEYS.app) ?? "";
  const environment = field(TRAILER_KEYS.environment) ?? "";
  const missing = [TRAILER_KEYS.sourceCommit, TRAILER_KEYS.imageDigest, TRAILER_KEYS.imageTag].filter(
    (name) => field(name) === undefined,
  );
  if (missing.length > 0) {
    return {
      reason: `the commit's trailers lack ${missing.join(", ")}; it was not written by this Shipline version`,
    };
  }
  const target = config.apps.find((app) => app.name === appName)?.deploy[environment];
  if (target === undefined) {
    return { reason: `${appName} has no deploy target in ${environment} in the configuration` };
  }
  const detail = configCommittedDetail.safeParse({
    app: appName,
    commit: field(TRAILER_KEYS.sourceCommit),
    correlationId: field(TRAILER_KEYS.correlationId) ?? push.correlationId,
    environment,
    configRepo: config.configRepo.url,
    branch: config.configRepo.branch,
    configCommit: push.after,
    files: [target.file],
    tag: field(TRAILER_KEYS.imageTag),
    digest: field(TRAILER_KEYS.imageDigest),
    intentId: field(TRAILER_KEYS.eventId),
    kind: "update",
  });
  if (!detail.success) {
    const issue = detail.error.issues[0];
    return {
      reason: `the commit's trailer for ${issue?.path.join(".") ?? "a field"} is invalid: ${issue?.message ?? "unknown"}`,
    };
  }
  return { detailType: DetailType.ConfigCommitted, detail: detail.data, time: options.time };
}
