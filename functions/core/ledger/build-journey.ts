import type { ApprovalMode } from "../config/environment.js";
import { DetailType } from "../contracts/detail-type.js";
import { chainRank, type EnvironmentState } from "./environment-state.js";
import type { JourneyHop } from "./ledger-hop.js";
import { secondsBetween } from "./seconds-between.js";
import { type StepDeadlines, stepDeadline } from "./step-deadline.js";

/** How a journey stands: it ended deployed, it stopped (and why), or it is still under way. */
export type JourneyStatus =
  | "deployed"
  | "running"
  | "waiting"
  | "failed"
  | "rejected"
  | "rolled-back"
  | "superseded"
  | "stuck";

/** How a hop reads in a timeline: ✓ done, ✗ failed, … waiting on someone, · supporting detail. */
export type HopMark = "ok" | "failed" | "waiting" | "info";

/** One hop in a timeline, with its durations. */
export interface JourneyStep {
  readonly hop: JourneyHop;
  readonly mark: HopMark;
  /** Seconds from the journey's first hop. */
  readonly offsetSeconds: number;
  /** Seconds from the hop before. */
  readonly sincePreviousSeconds: number;
}

/** A journey as a timeline. */
export interface Journey {
  readonly app: string;
  readonly commit: string;
  readonly correlationId: string;
  readonly status: JourneyStatus;
  /** Why it stopped, what it waits for, or what it did last. */
  readonly reason: string;
  readonly startedAt: string;
  readonly lastAt: string;
  readonly durationSeconds: number;
  readonly steps: readonly JourneyStep[];
  /** Where the commit got in each environment it reached, in the order reached. */
  readonly environments: readonly { readonly name: string; readonly phase: string; readonly at: string }[];
}

/** An environment of the configuration, as far as a journey needs it. */
export interface JourneyEnvironment {
  readonly name: string;
  readonly promoteFrom?: string;
  readonly approval?: ApprovalMode;
}

/** Options of {@link buildJourney}. */
export interface BuildJourneyOptions {
  /** The journey's hops, in any order (at least one). */
  readonly hops: readonly JourneyHop[];
  /**
   * The configured environments. With them, "deployed" means verified in every environment and a
   * journey that waits for a manual approval says so; without them, it means verified in every
   * environment the journey reached, with nothing under way.
   *
   * @default - not known
   */
  readonly environments?: readonly JourneyEnvironment[];
  /**
   * What each environment of the app runs now (the ledger's environment states): with them a
   * journey whose image a newer one replaced reads `superseded`, and a rollback says what runs
   * instead.
   *
   * @default - not known
   */
  readonly states?: readonly EnvironmentState[];
  /**
   * The time to judge a journey still under way by: past its last step's deadline it reads `stuck`,
   * naming the step and what it waits on.
   *
   * @default - never stuck
   */
  readonly now?: Date;
  /** The steps' deadlines (the configuration's scan timeout and verify deadlines). @default - defaults */
  readonly deadlines?: StepDeadlines;
}

const FAILED: ReadonlySet<string> = new Set([
  DetailType.BuildFailed,
  DetailType.ImageRejected,
  DetailType.ImageRefused,
  DetailType.DeploymentFailed,
  DetailType.StepFailed,
  DetailType.PromotionRefused,
]);

const WAITING: ReadonlySet<string> = new Set([
  DetailType.PullRequestOpened,
  DetailType.HoldPlaced,
  DetailType.PromotionWaiting,
]);

const ENVIRONMENT_PHASE: Readonly<Record<string, string>> = {
  [DetailType.ConfigCommitted]: "committed",
  [DetailType.PullRequestOpened]: "pending-review",
  [DetailType.SyncRequested]: "syncing",
  [DetailType.DeploymentVerified]: "verified",
  [DetailType.DeploymentFailed]: "failed",
  [DetailType.RollbackCommitted]: "rolled-back",
};

/** Orders hops by time, then by position in the chain (events of the same second), then by id. */
export function orderHops(hops: readonly JourneyHop[]): JourneyHop[] {
  return [...hops].sort(
    (left, right) =>
      Date.parse(left.at) - Date.parse(right.at) ||
      chainRank(left.detailType) - chainRank(right.detailType) ||
      left.eventId.localeCompare(right.eventId),
  );
}

function markOf(hop: JourneyHop): HopMark {
  if (FAILED.has(hop.detailType)) return "failed";
  if (WAITING.has(hop.detailType)) return "waiting";
  if (hop.source !== "shipline") {
    return hop.status !== undefined && /FAIL|FAULT|TIMED_OUT|STOPPED/.test(hop.status) ? "failed" : "info";
  }
  return "ok";
}

/**
 * Builds the timeline of one journey: hops in order with the time from the start and from the hop
 * before, where each environment got, and how the journey stands with the reason:
 * - `failed`: the build failed, a step failed permanently (and nothing moved after), or a deployment
 *   failed (`rolled-back` once its rollback is committed);
 * - `rejected`: the app's acceptance policy refused the image, or the scan gate rejected it;
 * - `waiting`: a pull request awaits review, a hold stops it, or (environments known) an environment
 *   with manual approval awaits `shipline approve`;
 * - `deployed`: verified everywhere (see {@link BuildJourneyOptions.environments});
 * - `running`: anything else.
 *
 * @example
 * ```ts
 * const journey = buildJourney({ hops: await reader.journey("demo", commit), environments: config.environments });
 * journey.status; // "rejected"
 * ```
 */
export function buildJourney(options: BuildJourneyOptions): Journey {
  const ordered = orderHops(options.hops);
  const first = ordered[0];
  const last = ordered.at(-1);
  if (first === undefined || last === undefined) throw new RangeError("buildJourney needs at least one hop");
  const steps = ordered.map((hop, index) => ({
    hop,
    mark: markOf(hop),
    offsetSeconds: secondsBetween(first.at, hop.at),
    sincePreviousSeconds: secondsBetween(ordered[index - 1]?.at ?? hop.at, hop.at),
  }));
  const environments = environmentsReached(ordered);
  const { status, reason } = stuckOr(
    supersededOr(
      standing(ordered, environments, options.environments),
      ordered,
      environments,
      options.states,
    ),
    ordered,
    options,
  );
  const journeyHop = ordered.find((hop) => hop.source === "shipline" && hop.app !== null) ?? first;
  return {
    app: journeyHop.app,
    commit: journeyHop.commit,
    correlationId: journeyHop.correlationId,
    status,
    reason,
    startedAt: first.at,
    lastAt: last.at,
    durationSeconds: secondsBetween(first.at, last.at),
    steps,
    environments: [...environments.values()].map(({ name, phase, hop }) => ({ name, phase, at: hop.at })),
  };
}

interface Reached {
  readonly name: string;
  readonly phase: string;
  readonly hop: JourneyHop;
}

function environmentsReached(ordered: readonly JourneyHop[]): Map<string, Reached> {
  const reached = new Map<string, Reached>();
  for (const hop of ordered) {
    const phase = ENVIRONMENT_PHASE[hop.detailType];
    if (phase === undefined || hop.environment === undefined) continue;
    // The revert's own commit, sync and verification restore what ran before: the journey stays
    // failed and rolled back there.
    const before = reached.get(hop.environment)?.phase;
    if (hop.kind === "revert" && (before === "failed" || before === "rolled-back")) {
      if (hop.detailType === DetailType.RollbackCommitted)
        reached.set(hop.environment, { name: hop.environment, phase: "rolled-back", hop });
      continue;
    }
    reached.set(hop.environment, { name: hop.environment, phase, hop });
  }
  return reached;
}

function lastOf(ordered: readonly JourneyHop[], ...detailTypes: string[]): JourneyHop | undefined {
  return ordered.findLast((hop) => hop.source === "shipline" && detailTypes.includes(hop.detailType));
}

function standing(
  ordered: readonly JourneyHop[],
  reached: ReadonlyMap<string, Reached>,
  configured: readonly JourneyEnvironment[] | undefined,
): { status: JourneyStatus; reason: string } {
  const build = lastOf(ordered, DetailType.BuildSucceeded, DetailType.BuildFailed);
  if (build?.detailType === DetailType.BuildFailed) {
    return { status: "failed", reason: `Build Failed: ${build.reason ?? "the build did not succeed"}` };
  }
  const notAccepted = lastOf(ordered, DetailType.ImageRefused);
  if (notAccepted !== undefined) {
    return {
      status: "rejected",
      reason: `Image Refused: ${notAccepted.reason ?? "the app's acceptance policy does not let it in"}`,
    };
  }
  const scan = lastOf(ordered, DetailType.ImageApproved, DetailType.ImageRejected);
  if (scan?.detailType === DetailType.ImageRejected) {
    const blocking =
      scan.blocking === undefined
        ? ""
        : ` (${scan.blocking} blocking finding${scan.blocking === 1 ? "" : "s"})`;
    return {
      status: "rejected",
      reason: `Image Rejected: ${scan.reason ?? "the scan policy blocked it"}${blocking}`,
    };
  }
  const lastShipline = lastOf(ordered, ...Object.values(DetailType));
  if (lastShipline?.detailType === DetailType.StepFailed) {
    return {
      status: "failed",
      reason: `Step Failed in ${lastShipline.step}: ${lastShipline.reason ?? "a permanent error"}`,
    };
  }
  for (const { name, phase, hop } of reached.values()) {
    if (phase === "failed" || phase === "rolled-back") {
      const failure = ordered.findLast(
        (candidate) => candidate.detailType === DetailType.DeploymentFailed && candidate.environment === name,
      );
      const why = `Deployment Failed in ${name}: ${failure?.reason ?? hop.reason ?? "not healthy"}`;
      if (phase === "failed") return { status: "failed", reason: why };
      const instead = hop.tag === undefined ? "" : `; ${hop.tag} runs instead`;
      return {
        status: "rolled-back",
        reason: `${why}; rolled back by config commit ${hop.configCommit?.slice(0, 7) ?? "?"}${instead}`,
      };
    }
  }
  for (const { name, phase, hop } of reached.values()) {
    if (phase === "pending-review") {
      return {
        status: "waiting",
        reason: `waiting for approval in ${name}: review pull request ${hop.url ?? ""}`.trim(),
      };
    }
  }
  const takenOut = takenOutByPerson(ordered, reached);
  if (takenOut !== undefined) {
    return {
      status: "rolled-back",
      reason: `taken out of ${takenOut.environment} by ${takenOut.trigger ?? "a person"}: ${takenOut.reason ?? "a change by hand"} (release with 'shipline release ${takenOut.app} ${takenOut.environment}')`,
    };
  }
  const hold = holdStopping(ordered, reached);
  if (hold !== undefined) {
    return {
      status: "waiting",
      reason: `held in ${hold.environment} by ${hold.trigger ?? "someone"} since ${hold.at}: ${hold.reason ?? "a hold stops promotion"}; release with 'shipline release ${hold.app} ${hold.environment}'`,
    };
  }
  const refused = ordered.findLast(
    (hop) =>
      hop.detailType === DetailType.PromotionRefused &&
      hop.environment !== undefined &&
      (reached.get(hop.environment)?.hop.at ?? "") < hop.at,
  );
  if (refused?.status === "would-downgrade" || refused?.status === "superseded") {
    return { status: "superseded", reason: `superseded: ${refused.reason ?? "a newer image runs there"}` };
  }
  const waiting = waitingHop(ordered, reached);
  if (waiting !== undefined) return { status: "waiting", reason: waitingReason(waiting) };
  const verified = [...reached.values()].filter((environment) => environment.phase === "verified");
  if (configured !== undefined && configured.length > 0) {
    const missing = configured.filter((environment) => reached.get(environment.name)?.phase !== "verified");
    if (missing.length === 0)
      return { status: "deployed", reason: `verified in ${configured.map((e) => e.name).join(", ")}` };
    const awaiting = missing.find(
      (environment) =>
        environment.approval === "manual" &&
        !reached.has(environment.name) &&
        (environment.promoteFrom === undefined ||
          reached.get(environment.promoteFrom)?.phase === "verified") &&
        (environment.promoteFrom !== undefined || scan?.detailType === DetailType.ImageApproved),
    );
    if (awaiting !== undefined) {
      return {
        status: "waiting",
        reason: `waiting for approval to enter ${awaiting.name} (shipline approve)`,
      };
    }
  } else if (verified.length > 0 && verified.length === reached.size) {
    return {
      status: "deployed",
      reason: `verified in ${verified.map((environment) => environment.name).join(", ")}`,
    };
  }
  const latest = ordered.at(-1);
  if (latest?.detailType === DetailType.PromotionRefused) {
    return { status: "running", reason: `refused in ${latest.environment ?? "?"}: ${latest.reason ?? "?"}` };
  }
  return {
    status: "running",
    reason: `still running: last ${latest?.detailType ?? "event"} at ${latest?.at ?? "?"}`,
  };
}

function holdStopping(
  ordered: readonly JourneyHop[],
  reached: ReadonlyMap<string, Reached>,
): JourneyHop | undefined {
  const holds = new Map<string, JourneyHop | undefined>();
  for (const hop of ordered) {
    if (hop.environment === undefined) continue;
    if (hop.detailType === DetailType.HoldPlaced) holds.set(hop.environment, hop);
    if (hop.detailType === DetailType.HoldReleased) holds.set(hop.environment, undefined);
  }
  return [...holds.values()].find(
    (hold) => hold !== undefined && reached.get(hold.environment ?? "")?.phase !== "verified",
  );
}

/** A hold a person (not a rollback) placed on an environment this journey had been verified in. */
function takenOutByPerson(
  ordered: readonly JourneyHop[],
  reached: ReadonlyMap<string, Reached>,
): JourneyHop | undefined {
  const holds = new Map<string, JourneyHop | undefined>();
  for (const hop of ordered) {
    if (hop.environment === undefined) continue;
    if (hop.detailType === DetailType.HoldPlaced) holds.set(hop.environment, hop);
    if (hop.detailType === DetailType.HoldReleased) holds.set(hop.environment, undefined);
  }
  return [...holds.values()].find(
    (hold) =>
      hold !== undefined &&
      hold.trigger !== "rollback" &&
      reached.get(hold.environment ?? "")?.phase === "verified" &&
      hold.at >= (reached.get(hold.environment ?? "")?.hop.at ?? ""),
  );
}

/**
 * A journey that was verified somewhere but whose image a newer one replaced there reads
 * `superseded` (never failed); stopped journeys keep their status.
 */
function supersededOr(
  current: { status: JourneyStatus; reason: string },
  ordered: readonly JourneyHop[],
  reached: ReadonlyMap<string, Reached>,
  states: readonly EnvironmentState[] | undefined,
): { status: JourneyStatus; reason: string } {
  if (states === undefined || (current.status !== "deployed" && current.status !== "running")) return current;
  const commit = ordered.find((hop) => hop.app !== null)?.commit;
  const replaced = [...reached.values()].flatMap(({ name, phase, hop }) => {
    const state = states.find((candidate) => candidate.environment === name);
    const runs = state?.deployed;
    if (phase !== "verified" || runs === undefined || runs.commit === commit || runs.since <= hop.at)
      return [];
    return [`${name} now runs ${runs.tag ?? runs.digest ?? "a newer image"} (${runs.commit.slice(0, 7)})`];
  });
  if (replaced.length === 0) return current;
  return { status: "superseded", reason: `superseded: ${replaced.join("; ")}` };
}

/** The latest `Promotion Waiting` of an environment the journey has not entered since. */
function waitingHop(
  ordered: readonly JourneyHop[],
  reached: ReadonlyMap<string, Reached>,
): JourneyHop | undefined {
  return ordered.findLast(
    (hop) =>
      hop.detailType === DetailType.PromotionWaiting &&
      hop.environment !== undefined &&
      (reached.get(hop.environment)?.hop.at ?? "") < hop.at,
  );
}

function waitingReason(hop: JourneyHop): string {
  const environment = hop.environment ?? "?";
  const command = hop.command === undefined ? "" : `: ${hop.command}`;
  switch (hop.waitingFor) {
    case "approval":
      return `waiting for approval to enter ${environment}${command}`;
    case "soak":
      return `waiting for the soak time before ${environment}${hop.until === undefined ? "" : ` until ${hop.until}`}`;
    default:
      return `held out of ${environment}${hop.trigger === undefined ? "" : ` by ${hop.trigger}`}: ${hop.reason ?? "a hold"}${command}`;
  }
}

/** A journey under way whose last step is past its deadline reads `stuck`, with what it waits on. */
function stuckOr(
  current: { status: JourneyStatus; reason: string },
  ordered: readonly JourneyHop[],
  options: BuildJourneyOptions,
): { status: JourneyStatus; reason: string } {
  if (options.now === undefined || current.status !== "running") return current;
  const last = ordered.findLast((hop) => hop.source === "shipline");
  if (last === undefined) return current;
  const deadline = stepDeadline(last, options.deadlines);
  if (deadline === undefined) return current;
  const waited = secondsBetween(last.at, options.now.toISOString());
  if (waited <= deadline.seconds) return current;
  return {
    status: "stuck",
    reason: `stuck: no progress for ${Math.round(waited)}s after ${last.detailType}${last.environment === undefined ? "" : ` in ${last.environment}`}, waiting on ${deadline.waitsOn} (deadline ${deadline.seconds}s); see shipline events and the dead-letter queues`,
  };
}
