import type { StoreKey } from "../ports/document-store.js";

/** The DocumentStore table holding every promotion record. */
export const PROMOTION_TABLE = "promotion";

/** How long a handled event id is remembered, so that a redelivery is recognised. */
export const PROCESSED_EVENT_TTL_SECONDS = 30 * 86_400;

const appPartition = (app: string) => `app#${app}`;

/**
 * The key scheme of {@link PROMOTION_TABLE}. Every record of an app shares the partition
 * `app#<app>`, so one query reads an app's whole promotion state; handled events and decisions
 * have partitions of their own.
 *
 * | record | pk | sk |
 * |---|---|---|
 * | approved image | `app#<app>` | `image#<digest>` |
 * | environment state | `app#<app>` | `environment#<environment>` |
 * | verified image | `app#<app>` | `verified#<environment>#<digest>` |
 * | hold | `app#<app>` | `hold#<environment>` |
 * | failed image | `app#<app>` | `failed#<environment>#<digest>` |
 * | pending promotion | `app#<app>` | `pending#<environment>#<digest>` |
 * | promotion claim | `app#<app>` | `claim#<environment>#<digest>` |
 * | handled event | `event#<event id>` | `processed` |
 * | decision (for the ledger) | `decision#<app>#<commit>` | `<decided at>#<environment>#<event id>` |
 *
 * @example
 * ```ts
 * await store.get(PROMOTION_TABLE, promotionKeys.hold("demo", "production"));
 * await store.query(PROMOTION_TABLE, decisionPartition("demo", commit)); // a commit's decisions, in time order
 * ```
 */
export const promotionKeys = {
  image: (app: string, digest: string): StoreKey => ({ pk: appPartition(app), sk: `image#${digest}` }),
  environment: (app: string, environment: string): StoreKey => ({
    pk: appPartition(app),
    sk: `environment#${environment}`,
  }),
  verified: (app: string, environment: string, digest: string): StoreKey => ({
    pk: appPartition(app),
    sk: `verified#${environment}#${digest}`,
  }),
  hold: (app: string, environment: string): StoreKey => ({
    pk: appPartition(app),
    sk: `hold#${environment}`,
  }),
  pending: (app: string, environment: string, digest: string): StoreKey => ({
    pk: appPartition(app),
    sk: `pending#${environment}#${digest}`,
  }),
  failed: (app: string, environment: string, digest: string): StoreKey => ({
    pk: appPartition(app),
    sk: `failed#${environment}#${digest}`,
  }),
  claim: (app: string, environment: string, digest: string): StoreKey => ({
    pk: appPartition(app),
    sk: `claim#${environment}#${digest}`,
  }),
  processed: (eventId: string): StoreKey => ({ pk: `event#${eventId}`, sk: "processed" }),
  decision: (options: {
    readonly app: string;
    readonly commit: string;
    readonly decidedAt: string;
    readonly environment: string;
    readonly eventId: string;
  }): StoreKey => ({
    pk: decisionPartition(options.app, options.commit),
    sk: `${options.decidedAt}#${options.environment}#${options.eventId}`,
  }),
} as const;

/**
 * The partition of the promotion decisions about one app and source commit, in time order.
 *
 * @example
 * ```ts
 * const decisions = await store.query(PROMOTION_TABLE, decisionPartition("demo", commit));
 * ```
 */
export function decisionPartition(app: string, commit: string): string {
  return `decision#${app}#${commit}`;
}

/** The sort-key prefix of an app's pending promotions into one environment. */
export function pendingPrefix(environment: string): string {
  return `pending#${environment}#`;
}
