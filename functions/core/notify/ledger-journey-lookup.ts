import * as z from "zod";
import { LEDGER_TABLE, pushPartition } from "../ledger/ledger-keys.js";
import { LedgerReader } from "../ledger/ledger-reader.js";
import type { DocumentStore } from "../ports/document-store.js";
import { commitInfoOf, type PushedCommitFacts } from "./commit-info-of.js";
import type { CommitInfo, JourneyLookup, JourneyQuery } from "./journey-lookup.js";

/** The commit facts a `Commit Pushed` hop may carry, read leniently (older records lack them). */
const pushFacts = z.object({
  message: z.string().optional().catch(undefined),
  author: z.object({ name: z.string(), email: z.string().optional() }).optional().catch(undefined),
  repositoryUrl: z.string().optional().catch(undefined),
});

/** Options of {@link LedgerJourneyLookup}. */
export interface LedgerJourneyLookupOptions {
  /** The ledger's store: DynamoDB on AWS, the file store locally. */
  readonly store: DocumentStore;
  /** @default LEDGER_TABLE */
  readonly table?: string;
}

/**
 * The {@link JourneyLookup} on the ledger: the journey's hops give the tag and the build log; the
 * app's deployment outcomes give the tag the environment last verified with another commit (the
 * "old" of old → new); the push's hop gives the commit's message, author and repository when the
 * ledger recorded them (`message`, `author`, `repositoryUrl` on the `Commit Pushed` hop).
 *
 * @example
 * ```ts
 * const lookup = new LedgerJourneyLookup({ store: new DynamoDbDocumentStore({ client, tables }) });
 * const info = await lookup.commitInfo({ app: "demo", commit, environment: "staging" });
 * ```
 */
export class LedgerJourneyLookup implements JourneyLookup {
  readonly #store: DocumentStore;
  readonly #table: string;
  readonly #reader: LedgerReader;

  constructor(options: LedgerJourneyLookupOptions) {
    this.#store = options.store;
    this.#table = options.table ?? LEDGER_TABLE;
    this.#reader = new LedgerReader({ store: this.#store, table: this.#table });
  }

  /** What the ledger knows of the change; `undefined` when it has no hop of the journey. */
  async commitInfo(query: JourneyQuery): Promise<CommitInfo | undefined> {
    const [hops, pushed, previousTag] = await Promise.all([
      this.#reader.journey(query.app, query.commit),
      this.#pushed(query.commit),
      query.environment === undefined
        ? undefined
        : this.#previousTag(query.app, query.commit, query.environment),
    ]);
    return commitInfoOf({
      hops,
      ...(pushed === undefined ? {} : { pushed }),
      ...(previousTag === undefined ? {} : { previousTag }),
    });
  }

  async #pushed(commit: string): Promise<PushedCommitFacts | undefined> {
    const items = await this.#store.query(this.#table, pushPartition(commit));
    for (const item of items) {
      const facts = pushFacts.safeParse(item.value);
      if (facts.success && facts.data.message !== undefined) return facts.data;
    }
    return undefined;
  }

  async #previousTag(app: string, commit: string, environment: string): Promise<string | undefined> {
    const outcomes = await this.#reader.deployments(app);
    const previous = outcomes.findLast(
      (outcome) =>
        outcome.environment === environment && outcome.outcome === "verified" && outcome.commit !== commit,
    );
    if (previous === undefined) return undefined;
    return commitInfoOf({ hops: await this.#reader.journey(app, previous.commit) })?.tag;
  }
}
