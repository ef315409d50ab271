import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { buildJourney } from "../../core/ledger/build-journey.js";
import type { JourneyHop } from "../../core/ledger/ledger-hop.js";
import type { LedgerReader } from "../../core/ledger/ledger-reader.js";
import type { CommitInfo } from "../../core/notify/journey-lookup.js";
import { indexJourneys, type JourneyIndex, journeyHops } from "./journey-index.js";
import { type AppView, commitView, type JourneyView, journeyView } from "./timeline-view.js";

/** Options of {@link TimelineData}. */
export interface TimelineDataOptions {
  /** Reads every archived event of the bus, oldest first. */
  readonly events: () => Promise<readonly EventEnvelope[]>;
  /** The ledger: used instead of the archive once it has recorded an app. @default - the archive only */
  readonly ledger?: LedgerReader;
  /** The config repository's URL, to link config commits. */
  readonly configRepoUrl?: string;
  /** Rewrites build-log URLs for the browser (see `journeyView`). */
  readonly logUrl?: (url: string) => string | undefined;
  /** How many recent commits each app lists. @default 10 */
  readonly recentCommits?: number;
  /** The time journeys under way are judged by (stuck past a step's deadline). @default - the system clock */
  readonly now?: () => Date;
}

/**
 * What the timeline page shows: the apps with their recent commits, and one commit's journey. The
 * ledger is the record when it has one; else the bus archive is grouped into journeys the way the
 * ledger would. Either way the push (read from the archive) names the commit's subject and author.
 *
 * @example
 * ```ts
 * const data = new TimelineData({ events: async () => (await bus.archive.read()).map((r) => r.event) });
 * const apps = await data.apps();
 * ```
 */
export class TimelineData {
  readonly #options: TimelineDataOptions;

  constructor(options: TimelineDataOptions) {
    this.#options = options;
  }

  /** Every app with its most recent commits, newest first; apps by name. */
  async apps(): Promise<AppView[]> {
    const index = await this.#index();
    const limit = this.#options.recentCommits ?? 10;
    const ledgerApps = (await this.#options.ledger?.apps()) ?? [];
    const apps: AppView[] = [];
    const names = ledgerApps.length > 0 ? ledgerApps : [...index.journeys.keys()];
    for (const app of [...names].sort()) {
      const commits = await this.#commitsOf(index, app, ledgerApps.length > 0);
      const states = ledgerApps.length > 0 ? await this.#options.ledger?.environments(app) : undefined;
      const views = commits
        .map(({ commit, hops }) =>
          commitView(
            buildJourney({ hops, now: this.#now(), ...(states ? { states } : {}) }),
            infoOf(index, commit),
          ),
        )
        .sort((left, right) => Date.parse(right.lastAt) - Date.parse(left.lastAt))
        .slice(0, limit);
      apps.push({ app, commits: views });
    }
    return apps;
  }

  /** One commit's journey, or `undefined` when nothing is known of it. */
  async journey(app: string, commit: string): Promise<JourneyView | undefined> {
    const index = await this.#index();
    const ledger = this.#options.ledger;
    const fromLedger = ledger === undefined ? [] : await ledger.journey(app, commit);
    const hops = fromLedger.some((hop) => hop.source === "shipline" && hop.detailType !== "Commit Pushed")
      ? fromLedger
      : journeyHops(index, app, commit);
    if (hops.length === 0) return undefined;
    const info = infoOf(index, commit);
    const states = fromLedger.length > 0 ? await ledger?.environments(app) : undefined;
    return journeyView({
      hops,
      ...(states ? { states } : {}),
      now: this.#now(),
      ...(info === undefined ? {} : { commitInfo: info }),
      ...(this.#options.configRepoUrl === undefined ? {} : { configRepoUrl: this.#options.configRepoUrl }),
      ...(this.#options.logUrl === undefined ? {} : { logUrl: this.#options.logUrl }),
    });
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  async #index(): Promise<JourneyIndex> {
    return indexJourneys(await this.#options.events());
  }

  async #commitsOf(
    index: JourneyIndex,
    app: string,
    useLedger: boolean,
  ): Promise<{ commit: string; hops: JourneyHop[] }[]> {
    const ledger = this.#options.ledger;
    if (useLedger && ledger !== undefined) {
      const entries = await ledger.commits(app);
      const recent = entries.sort((left, right) => right.lastAt.localeCompare(left.lastAt)).slice(0, 50);
      const journeys = await Promise.all(
        recent.map(async (entry) => ({
          commit: entry.commit,
          hops: await ledger.journey(app, entry.commit),
        })),
      );
      return journeys.filter((journey) => journey.hops.length > 0);
    }
    return [...(index.journeys.get(app)?.keys() ?? [])].map((commit) => ({
      commit,
      hops: journeyHops(index, app, commit),
    }));
  }
}

function infoOf(index: JourneyIndex, commit: string): CommitInfo | undefined {
  return index.pushed.get(commit);
}
