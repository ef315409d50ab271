import type { StoreKey } from "../ports/document-store.js";

/** The DocumentStore table of the ledger (`LEDGER_TABLE` on AWS, `<data-dir>/store/ledger.json` locally). */
export const LEDGER_TABLE = "ledger";

/** The partition listing every app the ledger has seen. */
export const APPS_PARTITION = "apps";

/** The partition of records that belong to no app and no commit (a `Step Failed` without them). */
export const UNATTRIBUTED_PARTITION = "unattributed";

/** The sort key of a hop: its time, then its event id, so a partition reads in time order. */
function hopSortKey(at: string, eventId: string): string {
  return `${at}#${eventId}`;
}

/**
 * The partition of one journey: every hop of one app at one source commit.
 *
 * @example
 * ```ts
 * const hops = await store.query(LEDGER_TABLE, journeyPartition("demo", commit));
 * ```
 */
export function journeyPartition(app: string, commit: string): string {
  return `journey#${app}#${commit}`;
}

/**
 * The partition of the hops of a push before any app is known (`Commit Pushed`, CodeCommit's push):
 * a journey reads it too, so the push joins every app the commit is built for.
 *
 * @example
 * ```ts
 * const pushHops = await store.query(LEDGER_TABLE, pushPartition(commit));
 * ```
 */
export function pushPartition(commit: string): string {
  return `push#${commit}`;
}

/**
 * The partition of one app: its commits (`commit#<sha>`) and the state of each environment
 * (`env#<environment>`).
 *
 * @example
 * ```ts
 * const commits = await store.query(LEDGER_TABLE, appPartition("demo"), { skPrefix: COMMIT_PREFIX });
 * ```
 */
export function appPartition(app: string): string {
  return `app#${app}`;
}

/**
 * The partition of an app's deployment outcomes (verified and failed, every environment), in time
 * order: what DORA metrics are computed from.
 *
 * @example
 * ```ts
 * const outcomes = await store.query(LEDGER_TABLE, deploymentsPartition("demo"));
 * ```
 */
export function deploymentsPartition(app: string): string {
  return `deploys#${app}`;
}

/** The sort-key prefix of an app's commit index entries. */
export const COMMIT_PREFIX = "commit#";

/** The sort-key prefix of an app's environment states (written by earlier versions; read as a fallback). */
export const ENVIRONMENT_PREFIX = "env#";

/** The sort-key prefix of the hops about an app's environments, from which their state is derived. */
export const ENVIRONMENT_HOP_PREFIX = "envhop#";

/**
 * The key scheme of {@link LEDGER_TABLE}:
 *
 * | record | pk | sk |
 * |---|---|---|
 * | hop of a journey | `journey#<app>#<commit>` | `<time>#<event id>` |
 * | hop of a push (no app yet) | `push#<commit>` | `<time>#<event id>` |
 * | hop tied to nothing | `unattributed` | `<time>#<event id>` |
 * | an app | `apps` | `<app>` |
 * | a commit of an app | `app#<app>` | `commit#<commit>` |
 * | a hop about an environment | `app#<app>` | `envhop#<environment>#<time>#<event id>` |
 * | an environment's state (earlier versions) | `app#<app>` | `env#<environment>` |
 * | a deployment outcome | `deploys#<app>` | `<time>#<event id>` |
 * | an image's journey | `image#<repository name>` | `digest#<digest>` or `tag#<tag>` |
 *
 * Hops are written once per event id, so a redelivered or replayed event is recorded once.
 *
 * @example
 * ```ts
 * await store.put(LEDGER_TABLE, ledgerKeys.hop(hop), hop, { ifAbsent: true });
 * ```
 */
export const ledgerKeys = {
  journeyHop: (app: string, commit: string, at: string, eventId: string): StoreKey => ({
    pk: journeyPartition(app, commit),
    sk: hopSortKey(at, eventId),
  }),
  pushHop: (commit: string, at: string, eventId: string): StoreKey => ({
    pk: pushPartition(commit),
    sk: hopSortKey(at, eventId),
  }),
  unattributedHop: (at: string, eventId: string): StoreKey => ({
    pk: UNATTRIBUTED_PARTITION,
    sk: hopSortKey(at, eventId),
  }),
  app: (app: string): StoreKey => ({ pk: APPS_PARTITION, sk: app }),
  commit: (app: string, commit: string): StoreKey => ({
    pk: appPartition(app),
    sk: `${COMMIT_PREFIX}${commit}`,
  }),
  environment: (app: string, environment: string): StoreKey => ({
    pk: appPartition(app),
    sk: `${ENVIRONMENT_PREFIX}${environment}`,
  }),
  environmentHop: (app: string, environment: string, at: string, eventId: string): StoreKey => ({
    pk: appPartition(app),
    sk: `${ENVIRONMENT_HOP_PREFIX}${environment}#${hopSortKey(at, eventId)}`,
  }),
  deployment: (app: string, at: string, eventId: string): StoreKey => ({
    pk: deploymentsPartition(app),
    sk: hopSortKey(at, eventId),
  }),
  imageDigest: (repository: string, digest: string): StoreKey => ({
    pk: `image#${repository}`,
    sk: `digest#${digest}`,
  }),
  imageTag: (repository: string, tag: string): StoreKey => ({
    pk: `image#${repository}`,
    sk: `tag#${tag}`,
  }),
} as const;
