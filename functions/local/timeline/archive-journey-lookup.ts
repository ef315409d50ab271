import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { commitInfoOf } from "../../core/notify/commit-info-of.js";
import type { CommitInfo, JourneyLookup, JourneyQuery } from "../../core/notify/journey-lookup.js";
import { indexJourneys, journeyHops } from "./journey-index.js";

/** Options of {@link ArchiveJourneyLookup}. */
export interface ArchiveJourneyLookupOptions {
  /** Reads every archived event, oldest first (e.g. from `LocalEventBus.archive`). */
  readonly events: () => Promise<readonly EventEnvelope[]>;
}

/**
 * The local {@link JourneyLookup}: reads the bus archive, so it works whether or not the ledger step
 * runs. The push gives the commit's message, author and repository; the journey the tag and the
 * build log; the environment's last verified deployment of another commit the previous tag.
 *
 * @example
 * ```ts
 * const lookup = new ArchiveJourneyLookup({ events: async () => (await bus.archive.read()).map((record) => record.event) });
 * const info = await lookup.commitInfo({ app: "demo", commit, environment: "staging" });
 * ```
 */
export class ArchiveJourneyLookup implements JourneyLookup {
  readonly #events: () => Promise<readonly EventEnvelope[]>;

  constructor(options: ArchiveJourneyLookupOptions) {
    this.#events = options.events;
  }

  /** What the archive knows of the change; `undefined` when it has no event of the journey. */
  async commitInfo(query: JourneyQuery): Promise<CommitInfo | undefined> {
    const index = indexJourneys(await this.#events());
    const hops = journeyHops(index, query.app, query.commit);
    const pushed = index.pushed.get(query.commit);
    const previousTag =
      query.environment === undefined
        ? undefined
        : previousTagOf(index, query.app, query.commit, query.environment);
    return commitInfoOf({
      hops,
      ...(pushed === undefined ? {} : { pushed }),
      ...(previousTag === undefined ? {} : { previousTag }),
    });
  }
}

/** The tag of the latest deployment verified in the environment with another commit of the app. */
function previousTagOf(
  index: ReturnType<typeof indexJourneys>,
  app: string,
  commit: string,
  environment: string,
): string | undefined {
  let latest: { at: string; commit: string } | undefined;
  for (const [other, hops] of index.journeys.get(app) ?? []) {
    if (other === commit) continue;
    for (const hop of hops) {
      if (hop.detailType !== "Deployment Verified" || hop.environment !== environment) continue;
      if (latest === undefined || Date.parse(hop.at) > Date.parse(latest.at))
        latest = { at: hop.at, commit: other };
    }
  }
  return latest === undefined
    ? undefined
    : commitInfoOf({ hops: journeyHops(index, app, latest.commit) })?.tag;
}
