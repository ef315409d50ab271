import { gitSha, resourceName } from "../contracts/primitives.js";

/** What a rollback's write intent id names. */
export interface RollbackIntentFacts {
  readonly app: string;
  readonly environment: string;
  /** The config commit the rollback reverts. */
  readonly revertOf: string;
}

/**
 * The id of the write intent that rolls back one app's config commit in one environment:
 * `rollback.<app>.<environment>.<config commit>`. It is the same for every `Deployment Failed` of
 * that deployment, so a redelivered failure is written once (FIFO deduplication and the writer's
 * `Event-Id` trailer), and it tells the `Config Committed` of the revert which commit it reverted.
 *
 * @example
 * ```ts
 * rollbackIntentId({ app: "demo", environment: "production", revertOf: sha }); // "rollback.demo.production.<sha>"
 * ```
 */
export function rollbackIntentId(facts: RollbackIntentFacts): string {
  return `rollback.${facts.app}.${facts.environment}.${facts.revertOf}`;
}

/**
 * Reads a {@link rollbackIntentId}; undefined for any other intent id (a revert made some other way).
 *
 * @example
 * ```ts
 * parseRollbackIntentId(committed.intentId)?.revertOf;
 * ```
 */
export function parseRollbackIntentId(intentId: string): RollbackIntentFacts | undefined {
  const [prefix, app, environment, revertOf, ...rest] = intentId.split(".");
  if (prefix !== "rollback" || rest.length > 0) return undefined;
  if (!resourceName.safeParse(app).success || !resourceName.safeParse(environment).success) return undefined;
  if (
    !gitSha.safeParse(revertOf).success ||
    app === undefined ||
    environment === undefined ||
    revertOf === undefined
  ) {
    return undefined;
  }
  return { app, environment, revertOf };
}
