import * as z from "zod";
import { ShiplineError } from "../errors/shipline-error.js";
import type { DocumentStore } from "../ports/document-store.js";
import { type DeploymentRecord, deploymentRecord } from "./deployment-record.js";
import { type EnvironmentState, environmentState } from "./environment-state.js";
import { environmentStatesOf } from "./environment-states-of.js";
import { type JourneyHop, type LedgerHop, ledgerHop } from "./ledger-hop.js";
import {
  APPS_PARTITION,
  appPartition,
  COMMIT_PREFIX,
  deploymentsPartition,
  ENVIRONMENT_HOP_PREFIX,
  ENVIRONMENT_PREFIX,
  journeyPartition,
  LEDGER_TABLE,
  pushPartition,
} from "./ledger-keys.js";

/**
 * An app's commit as the ledger indexes it (`app#<app>` / `commit#<sha>`): when its journey started
 * and when it last moved.
 */
export const commitIndexEntry = z.object({
  app: z.string(),
  commit: z.string(),
  correlationId: z.string(),
  firstAt: z.string(),
  lastAt: z.string(),
  lastDetailType: z.string(),
});

/** An app's commit in the ledger's index. */
export type CommitIndexEntry = z.infer<typeof commitIndexEntry>;

/** The app of the `apps` partition. */
const appEntry = z.object({ app: z.string() });

/**
 * Reads the ledger through any {@link DocumentStore} (the file store locally, DynamoDB on AWS):
 * journeys with their push joined in, the apps and their commits, environment states and deployment
 * outcomes. Records are parsed, so a damaged record is a `LEDGER_RECORD_INVALID` error naming its key.
 *
 * @example
 * ```ts
 * const reader = new LedgerReader({ store });
 * const hops = await reader.journey("demo", commit);
 * ```
 */
export class LedgerReader {
  readonly #store: DocumentStore;
  readonly #table: string;

  constructor(options: { readonly store: DocumentStore; readonly table?: string }) {
    this.#store = options.store;
    this.#table = options.table ?? LEDGER_TABLE;
  }

  /** Every hop of one app at one commit, its push included, in time and chain order. */
  async journey(app: string, commit: string): Promise<JourneyHop[]> {
    const [own, pushed] = await Promise.all([
      this.#hops(journeyPartition(app, commit)),
      this.#hops(pushPartition(commit)),
    ]);
    const byId = new Map<string, JourneyHop>();
    for (const hop of [...pushed, ...own]) byId.set(hop.eventId, { ...hop, app, commit });
    return [...byId.values()];
  }

  /** The hops of a push that no app's journey has claimed yet, or any push. */
  async push(commit: string): Promise<LedgerHop[]> {
    return this.#hops(pushPartition(commit));
  }

  /** Every app the ledger has seen, by name. */
  async apps(): Promise<string[]> {
    const items = await this.#store.query(this.#table, APPS_PARTITION);
    return items.map((item) => this.#parse(appEntry, item.value, item).app);
  }

  /** An app's commits, optionally those starting with a prefix. */
  async commits(app: string, prefix = ""): Promise<CommitIndexEntry[]> {
    const items = await this.#store.query(this.#table, appPartition(app), {
      skPrefix: `${COMMIT_PREFIX}${prefix}`,
    });
    return items.map((item) => this.#parse(commitIndexEntry, item.value, item));
  }

  /** The app's commit whose journey moved last, if any. */
  async latestCommit(app: string): Promise<CommitIndexEntry | undefined> {
    const commits = await this.commits(app);
    return commits.reduce<CommitIndexEntry | undefined>(
      (latest, entry) => (latest === undefined || entry.lastAt > latest.lastAt ? entry : latest),
      undefined,
    );
  }

  /**
   * The state of each environment of an app, derived from the hops about it (see
   * `environmentStatesOf`); an environment only an earlier version recorded keeps its stored state.
   */
  async environments(app: string): Promise<EnvironmentState[]> {
    const derived = environmentStatesOf(await this.environmentHops(app));
    const stored = await this.#store.query(this.#table, appPartition(app), { skPrefix: ENVIRONMENT_PREFIX });
    const legacy = stored
      .map((item) => this.#parse(environmentState, item.value, item))
      .filter((state) => !derived.some((known) => known.environment === state.environment));
    return [...derived, ...legacy];
  }

  /** The hops about an app's environments, in key order. */
  async environmentHops(app: string): Promise<JourneyHop[]> {
    const items = await this.#store.query(this.#table, appPartition(app), {
      skPrefix: ENVIRONMENT_HOP_PREFIX,
    });
    return items.flatMap((item) => {
      const hop = this.#parse(ledgerHop, item.value, item);
      return hop.app === null || hop.commit === null ? [] : [{ ...hop, app: hop.app, commit: hop.commit }];
    });
  }

  /** An app's deployment outcomes, oldest first. */
  async deployments(app: string): Promise<DeploymentRecord[]> {
    const items = await this.#store.query(this.#table, deploymentsPartition(app));
    return items.map((item) => this.#parse(deploymentRecord, item.value, item));
  }

  async #hops(pk: string): Promise<LedgerHop[]> {
    const items = await this.#store.query(this.#table, pk);
    return items.map((item) => this.#parse(ledgerHop, item.value, item));
  }

  #parse<S extends z.ZodType>(schema: S, value: unknown, key: { pk: string; sk: string }): z.output<S> {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new ShiplineError({
        code: "LEDGER_RECORD_INVALID",
        message: `ledger record ${key.pk} / ${key.sk} is not a valid record (${result.error.issues[0]?.message ?? "invalid"}); only the ledger step should write to the ledger table`,
        data: { pk: key.pk, sk: key.sk },
      });
    }
    return result.data;
  }
}
