import { bakeSummary } from "../../core/ledger/bake-summary.js";
import { buildJourney, type Journey, type JourneyStatus } from "../../core/ledger/build-journey.js";
import { canarySummary } from "../../core/ledger/canary-summary.js";
import { chartSummary } from "../../core/ledger/chart-summary.js";
import type { EnvironmentState } from "../../core/ledger/environment-state.js";
import type { JourneyHop } from "../../core/ledger/ledger-hop.js";
import { commitUrlOf } from "../../core/notify/commit-url.js";
import type { CommitInfo } from "../../core/notify/journey-lookup.js";

/** How a step of the timeline is coloured. */
export type StepState = "running" | "succeeded" | "failed" | "waiting" | "skipped";

/** A link shown with a step or a journey. */
export interface ViewLink {
  readonly label: string;
  readonly url: string;
}

/** One step (hop) of a journey's timeline. */
export interface StepView {
  readonly detailType: string;
  /** The step or AWS service that published it. */
  readonly step: string;
  readonly at: string;
  readonly state: StepState;
  readonly environment?: string;
  /** Seconds from the journey's first step. */
  readonly offsetSeconds: number;
  /** How long the step took: its own duration when the event tells it, else the time since the step before. */
  readonly durationSeconds: number;
  /** A short line of facts: the tag, the verdict, the config commit. */
  readonly summary: string;
  /** Why it failed, waits, or what it concluded. */
  readonly reason?: string;
  readonly links: readonly ViewLink[];
}

/** One commit of an app, as the list shows it. */
export interface CommitView {
  readonly app: string;
  readonly commit: string;
  readonly status: JourneyStatus;
  readonly reason: string;
  readonly startedAt: string;
  readonly lastAt: string;
  readonly durationSeconds: number;
  /** The first line of the source commit's message, when known. */
  readonly subject?: string;
  readonly author?: string;
  /** The image tag built from the commit, when known. */
  readonly tag?: string;
}

/** One commit's journey as a timeline. */
export interface JourneyView extends CommitView {
  readonly steps: readonly StepView[];
  readonly environments: Journey["environments"];
}

/** An app and its recent commits, newest first. */
export interface AppView {
  readonly app: string;
  readonly commits: readonly CommitView[];
}

/** Options of {@link journeyView}. */
export interface JourneyViewOptions {
  /** The journey's hops, its push included (at least one). */
  readonly hops: readonly JourneyHop[];
  /** What the push said of the commit. */
  readonly commitInfo?: CommitInfo;
  /** The config repository's URL, to link config commits; `local:` repositories have no page. */
  readonly configRepoUrl?: string;
  /** Rewrites a build-log URL the browser cannot open (a `file:` URL) into one it can, or drops it. */
  readonly logUrl?: (url: string) => string | undefined;
  /** What each environment of the app runs now (the ledger's states), to tell a superseded journey. */
  readonly states?: readonly EnvironmentState[];
  /** The time to judge a journey under way by (a journey past its step's deadline is stuck). */
  readonly now?: Date;
}

/** Hops that start work another hop finishes: they run until a later hop of the journey exists. */
const STARTS_WORK: ReadonlySet<string> = new Set([
  "Build Started",
  "Image Pushed",
  "Config Committed",
  "Sync Requested",
  "Promotion Approved",
]);

/**
 * The timeline of one journey for the page: the ledger's `buildJourney` decides the order, the
 * status and the reason; each hop gets a colour state (a hop that starts work is `running` while it
 * is the journey's last), a duration, a summary and its links (build log, config commit, pull
 * request).
 *
 * @example
 * ```ts
 * const view = journeyView({ hops, commitInfo, configRepoUrl: "https://github.com/acme/deploy.git" });
 * view.steps.map((step) => step.state); // ["succeeded", "succeeded", "running"]
 * ```
 */
export function journeyView(options: JourneyViewOptions): JourneyView {
  const journey = buildJourney({
    hops: options.hops,
    ...(options.states === undefined ? {} : { states: options.states }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const lastIndex = journey.steps.length - 1;
  const steps = journey.steps.map((step, index): StepView => {
    const { hop } = step;
    const state: StepState =
      step.mark === "failed"
        ? "failed"
        : step.mark === "waiting"
          ? "waiting"
          : step.mark === "info"
            ? "skipped"
            : index === lastIndex && journey.status === "running" && STARTS_WORK.has(hop.detailType)
              ? "running"
              : "succeeded";
    return {
      detailType: hop.detailType,
      step: hop.step,
      at: hop.at,
      state,
      ...(hop.environment === undefined ? {} : { environment: hop.environment }),
      offsetSeconds: step.offsetSeconds,
      durationSeconds: hop.durationSeconds ?? step.sincePreviousSeconds,
      summary: summaryOf(hop),
      ...(hop.reason === undefined ? {} : { reason: hop.reason }),
      links: linksOf(hop, options),
    };
  });
  return { ...commitView(journey, options.commitInfo), steps, environments: journey.environments };
}

/**
 * The list entry of one journey: its status, reason and times, with the commit's subject, author
 * and tag when known.
 *
 * @example
 * ```ts
 * const entry = commitView(buildJourney({ hops }), commitInfo);
 * ```
 */
export function commitView(journey: Journey, info?: CommitInfo): CommitView {
  const tag = journey.steps.findLast((step) => step.hop.tag !== undefined && !step.hop.tag.includes("{"))?.hop
    .tag;
  const subject = info?.message?.split(/\r?\n/, 1)[0]?.trim();
  return {
    app: journey.app,
    commit: journey.commit,
    status: journey.status,
    reason: journey.reason,
    startedAt: journey.startedAt,
    lastAt: journey.lastAt,
    durationSeconds: journey.durationSeconds,
    ...(subject === undefined || subject === "" ? {} : { subject }),
    ...(info?.author === undefined ? {} : { author: info.author.name }),
    ...(tag === undefined ? {} : { tag }),
  };
}

function summaryOf(hop: JourneyHop): string {
  const parts: string[] = [];
  if (hop.tag !== undefined) parts.push(`tag ${hop.tag}`);
  if (hop.verdict !== undefined) parts.push(hop.verdict);
  if (hop.configCommit !== undefined) parts.push(`config ${hop.configCommit.slice(0, 7)}`);
  else if (hop.revision !== undefined) parts.push(`revision ${hop.revision.slice(0, 7)}`);
  if (hop.health !== undefined) parts.push(hop.health);
  if (hop.status !== undefined) parts.push(hop.status);
  if (hop.canary !== undefined) parts.push(canarySummary(hop.canary));
  const chart = chartSummary(hop);
  if (chart !== undefined) parts.push(chart);
  if (hop.bake !== undefined) parts.push(bakeSummary(hop.bake));
  if (hop.trigger !== undefined && parts.length === 0) parts.push(hop.trigger);
  return parts.join(" · ");
}

function linksOf(hop: JourneyHop, options: JourneyViewOptions): ViewLink[] {
  const links: ViewLink[] = [];
  if (hop.logsUrl !== undefined) {
    const url = options.logUrl === undefined ? hop.logsUrl : options.logUrl(hop.logsUrl);
    if (url !== undefined) links.push({ label: "build log", url });
  }
  const configCommit = hop.configCommit ?? hop.revision;
  if (configCommit !== undefined && options.configRepoUrl !== undefined) {
    const url = commitUrlOf(options.configRepoUrl, configCommit);
    if (url !== undefined) links.push({ label: "config commit", url });
  }
  if (hop.url !== undefined) links.push({ label: "pull request", url: hop.url });
  return links;
}
