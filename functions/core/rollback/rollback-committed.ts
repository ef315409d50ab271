import { DetailType } from "../contracts/detail-type.js";
import type { ConfigCommitted } from "../contracts/events/config-committed.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import { parseRollbackIntentId } from "./rollback-intent-id.js";

/**
 * The `Rollback Committed` of a revert the config writer committed for a rollback: its
 * `Config Committed` has kind `revert` and the rollback's intent id, which names the reverted
 * commit. It names the image the revert restores (what the target holds now) and the one it took
 * out. Undefined for any other `Config Committed` (an update, or a revert made some other way).
 *
 * @example
 * ```ts
 * const event = rollbackCommitted({ committed: detail, now: clock.now() });
 * if (event) await publisher.publish([event]);
 * ```
 */
export function rollbackCommitted(options: {
  readonly committed: ConfigCommitted;
  readonly now: Date;
}): PublishRequest<"Rollback Committed"> | undefined {
  const { committed } = options;
  const facts = committed.kind === "revert" ? parseRollbackIntentId(committed.intentId) : undefined;
  if (facts === undefined || facts.app !== committed.app || facts.environment !== committed.environment)
    return undefined;
  const taken = committed.replaced?.tag === undefined ? "" : ` takes ${committed.replaced.tag} out and`;
  const restoredText = `;${taken} brings back ${committed.tag}`;
  return {
    detailType: DetailType.RollbackCommitted,
    detail: {
      app: committed.app,
      commit: committed.commit,
      correlationId: committed.correlationId,
      environment: committed.environment,
      configRepo: committed.configRepo,
      revertedCommit: facts.revertOf,
      configCommit: committed.configCommit,
      reason: `the deployment of config commit ${facts.revertOf} failed in ${committed.environment}; config commit ${committed.configCommit} reverts it${restoredText}`,
      restored:
        committed.digest === undefined
          ? { tag: committed.tag }
          : { tag: committed.tag, digest: committed.digest },
      ...(committed.replaced === undefined ? {} : { reverted: committed.replaced }),
    },
    time: options.now,
  };
}
