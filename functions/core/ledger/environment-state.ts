import * as z from "zod";
import { DETAIL_TYPES, DetailType } from "../contracts/detail-type.js";
import { canarySummary } from "./canary-summary.js";
import type { JourneyHop } from "./ledger-hop.js";

/** Where an environment stands with its latest change. */
export const ENVIRONMENT_PHASES = [
  "waiting",
  "committed",
  "pending-review",
  "syncing",
  "verified",
  "failed",
  "rolled-back",
] as const;

/** The image an environment last verified running. */
export const deployedImage = z.object({
  commit: z.string(),
  correlationId: z.string(),
  tag: z.string().optional(),
  digest: z.string().optional(),
  configCommit: z.string().optional(),
  health: z.string().optional(),
  /** The Argo Rollouts canary it was verified through, in one line (see `canarySummary`). */
  canary: z.string().optional(),
  /** The chart version its config commit wrote beside the image (a target with `chartVersion`). */
  chartVersion: z.string().optional(),
  /** When it was verified. */
  since: z.string(),
});

/**
 * The state of one app in one environment, as the ledger keeps it (`app#<app>` / `env#<environment>`):
 * what runs there (`deployed`), and the latest change under way or done (`phase`, `commit`, ...).
 *
 * @example
 * ```ts
 * const state = environmentState.parse(item.value);
 * ```
 */
export const environmentState = z.object({
  app: z.string(),
  environment: z.string(),
  phase: z.enum(ENVIRONMENT_PHASES),
  /** The source commit of the latest change. */
  commit: z.string(),
  correlationId: z.string(),
  tag: z.string().optional(),
  digest: z.string().optional(),
  configCommit: z.string().optional(),
  health: z.string().optional(),
  reason: z.string().optional(),
  /** The pull request a change waits in. */
  url: z.string().optional(),
  /** When the latest change reached its phase. */
  since: z.string(),
  /** The detail type of the hop that set the phase (orders hops of the same second). */
  lastDetailType: z.string(),
  /** When the environment started failing; cleared by the next verified deployment. */
  failingSince: z.string().optional(),
  /** When a hold was last released (a hold placed before it, delivered late, stays released). */
  releasedAt: z.string().optional(),
  /** The hold on the environment, if any: why, who placed it, since when. */
  hold: z.object({ reason: z.string(), by: z.string(), since: z.string().optional() }).optional(),
  /** What the config branch asks for there now, and who wrote it (DESIGN §7 "desired"). */
  desired: z
    .object({
      tag: z.string().optional(),
      digest: z.string().optional(),
      configCommit: z.string().optional(),
      /** The chart version written with the image. */
      chartVersion: z.string().optional(),
      by: z.enum(["shipline", "person"]),
      author: z.string().optional(),
      since: z.string(),
    })
    .optional(),
  /** Images waiting to enter: for a manual approval, the soak time or a hold (with the command that moves them). */
  waiting: z
    .array(
      z.object({
        commit: z.string(),
        tag: z.string().optional(),
        digest: z.string(),
        waitingFor: z.enum(["approval", "soak", "hold"]),
        until: z.string().optional(),
        command: z.string().optional(),
        since: z.string(),
      }),
    )
    .optional(),
  /** Images whose deployment failed there, newest last (DESIGN §7 "failed"). */
  failed: z
    .array(
      z.object({
        commit: z.string(),
        tag: z.string().optional(),
        digest: z.string().optional(),
        configCommit: z.string().optional(),
        reason: z.string(),
        at: z.string(),
      }),
    )
    .optional(),
  deployed: deployedImage.optional(),
});

/** The state of one app in one environment. */
export type EnvironmentState = z.infer<typeof environmentState>;

/** The detail types that change an environment's state. */
export const ENVIRONMENT_DETAIL_TYPES: ReadonlySet<string> = new Set([
  DetailType.ConfigCommitted,
  DetailType.PullRequestOpened,
  DetailType.SyncRequested,
  DetailType.DeploymentVerified,
  DetailType.DeploymentFailed,
  DetailType.RollbackCommitted,
  DetailType.HoldPlaced,
  DetailType.HoldReleased,
  DetailType.PromotionWaiting,
  DetailType.PromotionRefused,
]);

const RANKS: ReadonlyMap<string, number> = new Map(
  DETAIL_TYPES.map((detailType, index) => [detailType, index]),
);

/**
 * The chain position of a detail type: a later step of the same second comes after; AWS events and
 * unknown detail types come last.
 *
 * @example
 * ```ts
 * chainRank("Build Started") < chainRank("Image Pushed"); // true
 * ```
 */
export function chainRank(detailType: string): number {
  return RANKS.get(detailType) ?? DETAIL_TYPES.length;
}

/** True when the hop is not older than the state (redelivered or replayed old events change nothing). */
function isCurrent(state: EnvironmentState | undefined, hop: JourneyHop): boolean {
  if (state === undefined) return true;
  if (isAboutReplacedRevision(state, hop)) return false;
  if (hop.at !== state.since) return hop.at > state.since;
  return chainRank(hop.detailType) >= chainRank(state.lastDetailType);
}

/**
 * True when a sync or verification is about a config commit the environment has already moved past:
 * a newer config commit is desired and Argo CD already synced or verified it. Events of one second
 * cannot be ordered by time, and Argo CD only ever moves to the branch head.
 */
function isAboutReplacedRevision(state: EnvironmentState, hop: JourneyHop): boolean {
  if (hop.detailType !== DetailType.SyncRequested && hop.detailType !== DetailType.DeploymentVerified) {
    return false;
  }
  const desired = state.desired?.configCommit;
  if (desired === undefined || hop.revision === undefined || hop.revision === desired) return false;
  return state.configCommit === desired && AFTER_SYNC.has(state.phase);
}

const AFTER_SYNC: ReadonlySet<string> = new Set(["syncing", "verified", "failed", "rolled-back"]);

/**
 * The state of an environment after a hop about it, or `undefined` when the hop does not change it
 * (not about an environment, or older than the state). Holds are kept whatever their time.
 *
 * @example
 * ```ts
 * const next = applyEnvironmentHop(current, hop);
 * if (next !== undefined) await store.put(LEDGER_TABLE, ledgerKeys.environment(app, env), next);
 * ```
 */
export function applyEnvironmentHop(
  state: EnvironmentState | undefined,
  hop: JourneyHop,
): EnvironmentState | undefined {
  const environment = hop.environment;
  if (environment === undefined || !ENVIRONMENT_DETAIL_TYPES.has(hop.detailType)) return undefined;
  if (hop.detailType === DetailType.PromotionWaiting || hop.detailType === DetailType.PromotionRefused) {
    return withWaiting(state, hop, environment);
  }
  if (hop.detailType === DetailType.HoldPlaced) {
    if (state === undefined) {
      // A hold on an environment nothing ran in yet (`shipline hold` before the first deploy).
      return {
        app: hop.app,
        environment,
        phase: "waiting",
        commit: hop.commit,
        correlationId: hop.correlationId,
        since: hop.at,
        lastDetailType: hop.detailType,
        hold: { reason: hop.reason ?? "held", by: hop.trigger ?? "unknown", since: hop.at },
      };
    }
    // A hold delivered late changes nothing once a newer hold or a later release is known.
    if ((state.hold?.since ?? "") > hop.at || (state.releasedAt ?? "") > hop.at) return undefined;
    return {
      ...state,
      hold: { reason: hop.reason ?? "held", by: hop.trigger ?? "unknown", since: hop.at },
    };
  }
  if (hop.detailType === DetailType.HoldReleased) {
    if (state === undefined) return undefined;
    const releasedAt = [state.releasedAt ?? "", hop.at].sort().at(-1) ?? hop.at;
    if ((state.hold?.since ?? "") > hop.at) return { ...state, releasedAt };
    const { hold: _released, ...rest } = state;
    return { ...rest, releasedAt };
  }
  if (!isCurrent(state, hop)) {
    // An older failure still happened: it joins the record of what failed there, nothing else moves.
    if (state === undefined || hop.detailType !== DetailType.DeploymentFailed) return undefined;
    if (state.failed?.some((entry) => entry.configCommit === hop.revision)) return undefined;
    return { ...state, failed: withFailure(state.failed, hop) };
  }
  const common = {
    app: hop.app,
    environment,
    commit: hop.commit,
    correlationId: hop.correlationId,
    since: hop.at,
    lastDetailType: hop.detailType,
    ...(state?.hold === undefined ? {} : { hold: state.hold }),
    ...(state?.deployed === undefined ? {} : { deployed: state.deployed }),
    ...(state?.failingSince === undefined ? {} : { failingSince: state.failingSince }),
    ...(state?.failed === undefined ? {} : { failed: state.failed }),
    ...(state?.desired === undefined ? {} : { desired: state.desired }),
    ...waitingWithout(state?.waiting, hop.digest),
  };
  const sameChange = state !== undefined && state.commit === hop.commit;
  // The config commit a sync or verification is about names its image: the desired one, when it is
  // that commit (events of one second cannot be ordered by time alone).
  const desiredHere = hop.revision !== undefined && state?.desired?.configCommit === hop.revision;
  const carried = {
    tag: hop.tag ?? (desiredHere ? state?.desired?.tag : sameChange ? state?.tag : undefined),
    digest: hop.digest ?? (desiredHere ? state?.desired?.digest : sameChange ? state?.digest : undefined),
  };
  switch (hop.detailType) {
    case DetailType.ConfigCommitted: {
      const desired = {
        ...(hop.tag === undefined ? {} : { tag: hop.tag }),
        ...(hop.digest === undefined ? {} : { digest: hop.digest }),
        ...(hop.configCommit === undefined ? {} : { configCommit: hop.configCommit }),
        ...(hop.chartVersion === undefined ? {} : { chartVersion: hop.chartVersion }),
        by: hop.by ?? "shipline",
        ...(hop.by === "person" && hop.trigger !== undefined
          ? { author: hop.trigger.replace(/^by /, "") }
          : {}),
        since: hop.at,
      };
      // A person's revert takes out what ran: the time to restore runs from it.
      const personRevert = hop.by === "person" && hop.kind === "revert";
      return {
        ...common,
        ...carried,
        phase: "committed",
        configCommit: hop.configCommit,
        desired,
        ...(personRevert ? { failingSince: state?.failingSince ?? hop.at } : {}),
      };
    }
    case DetailType.PullRequestOpened:
      return { ...common, ...carried, phase: "pending-review", url: hop.url, reason: hop.reason };
    case DetailType.SyncRequested:
      return { ...common, ...carried, phase: "syncing", configCommit: hop.revision };
    case DetailType.DeploymentFailed:
      return {
        ...common,
        ...carried,
        phase: "failed",
        configCommit: hop.revision,
        health: hop.health,
        reason: hop.reason,
        // The broken version served from its sync on, not from when the failure was noticed.
        failingSince:
          state?.failingSince ??
          (state !== undefined && state.configCommit === hop.revision && state.phase === "syncing"
            ? state.since
            : hop.at),
        failed: withFailure(state?.failed, { ...hop, ...carried }),
      };
    case DetailType.RollbackCommitted:
      return {
        ...common,
        ...carried,
        phase: "rolled-back",
        configCommit: hop.configCommit,
        reason: hop.reason,
      };
    default: {
      // Deployment Verified. A verified revert runs the image deployed before the failed change.
      const { failingSince: _restored, ...rest } = common;
      // A verified revert runs the image it restored: the one deployed before, when the digests agree.
      const restoredBefore =
        hop.kind === "revert" && (hop.digest === undefined || state?.deployed?.digest === hop.digest);
      const canary = hop.canary === undefined ? {} : { canary: canarySummary(hop.canary) };
      const deployed = restoredBefore
        ? state?.deployed && {
            ...withoutCanary(state.deployed),
            health: hop.health,
            configCommit: hop.revision,
            ...canary,
          }
        : {
            commit: hop.commit,
            correlationId: hop.correlationId,
            tag: carried.tag,
            digest: carried.digest,
            configCommit: hop.revision,
            health: hop.health,
            ...canary,
            ...(desiredHere && state?.desired?.chartVersion !== undefined
              ? { chartVersion: state.desired.chartVersion }
              : {}),
            since: hop.at,
          };
      return {
        ...rest,
        ...carried,
        // A verified revert: the environment is healthy again, and the latest change is the rollback.
        phase: hop.kind === "revert" ? "rolled-back" : "verified",
        configCommit: hop.revision,
        health: hop.health,
        ...(hop.kind === "revert" ? { reason: revertReason(state, deployed?.tag) } : {}),
        ...(deployed === undefined ? {} : { deployed }),
      };
    }
  }
}

/** The record of failed images with this failure added (one per config commit, time order, last 10). */
function withFailure(
  failed: EnvironmentState["failed"],
  hop: Pick<JourneyHop, "commit" | "tag" | "digest" | "revision" | "reason" | "at">,
): NonNullable<EnvironmentState["failed"]> {
  const entry = {
    commit: hop.commit,
    ...(hop.tag === undefined ? {} : { tag: hop.tag }),
    ...(hop.digest === undefined ? {} : { digest: hop.digest }),
    ...(hop.revision === undefined ? {} : { configCommit: hop.revision }),
    reason: hop.reason ?? "not healthy",
    at: hop.at,
  };
  return [...(failed ?? []).filter((known) => known.configCommit !== hop.revision), entry]
    .sort((left, right) => left.at.localeCompare(right.at))
    .slice(-10);
}

/** What a verified revert says: who reverted (a rollback, or a person) and what runs again. */
function revertReason(state: EnvironmentState | undefined, tag: string | undefined): string {
  const runs = `${tag ?? "the image before"} runs again`;
  return state?.desired?.by === "person"
    ? `reverted by ${state.desired.author ?? "a person"}: ${runs}`
    : `rolled back: ${runs}`;
}

/**
 * The state after a `Promotion Waiting` (the image joins the waiting list, replacing its earlier
 * wait) or a `Promotion Refused` (it leaves the list). An environment nothing ran in yet gets a
 * state of its own, so that what waits to enter it shows.
 */
function withWaiting(
  state: EnvironmentState | undefined,
  hop: JourneyHop,
  environment: string,
): EnvironmentState | undefined {
  const digest = hop.digest;
  if (digest === undefined) return undefined;
  const others = (state?.waiting ?? []).filter((entry) => entry.digest !== digest);
  const waiting =
    hop.detailType === DetailType.PromotionWaiting && hop.waitingFor !== undefined
      ? [
          ...others,
          {
            commit: hop.commit,
            ...(hop.tag === undefined ? {} : { tag: hop.tag }),
            digest,
            waitingFor: hop.waitingFor,
            ...(hop.until === undefined ? {} : { until: hop.until }),
            ...(hop.command === undefined ? {} : { command: hop.command }),
            since: hop.at,
          },
        ].slice(-5)
      : others;
  if (state !== undefined) return { ...state, waiting };
  if (waiting.length === 0) return undefined;
  return {
    app: hop.app,
    environment,
    phase: "waiting",
    commit: hop.commit,
    correlationId: hop.correlationId,
    since: hop.at,
    lastDetailType: hop.detailType,
    waiting,
  };
}

/** The waiting list without an image that has now entered (or failed in) the environment. */
function waitingWithout(
  waiting: EnvironmentState["waiting"],
  digest: string | undefined,
): { waiting?: NonNullable<EnvironmentState["waiting"]> } {
  if (waiting === undefined) return {};
  return { waiting: digest === undefined ? waiting : waiting.filter((entry) => entry.digest !== digest) };
}

/** A deployed image without the canary of its earlier verification. */
function withoutCanary(deployed: z.infer<typeof deployedImage>): z.infer<typeof deployedImage> {
  const { canary: _earlier, ...rest } = deployed;
  return rest;
}
