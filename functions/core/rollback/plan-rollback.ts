import type { ShiplineConfig } from "../config/shipline-config.js";
import { DetailType } from "../contracts/detail-type.js";
import type { DeploymentFailed } from "../contracts/events/deployment-failed.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import { type WriteIntentInput, writeIntentGroupId } from "../writer/write-intent.js";
import { rollbackIntentId } from "./rollback-intent-id.js";

/** The name a hold placed by a rollback carries in `placedBy`. */
export const ROLLBACK_HOLDER = "rollback";

/** The longest reason a hold carries; longer failure reasons are cut. */
const MAX_REASON = 1000;

/** What a failed deployment calls for. */
export type RollbackPlan =
  | { readonly action: "skip"; readonly reason: string }
  | {
      readonly action: "revert";
      /** The revert intent for the config writer's queue. */
      readonly intent: WriteIntentInput;
      /** Its FIFO message group: the config repository's branch. */
      readonly groupId: string;
      /** Keeps automation from promoting the failed image into the environment again. */
      readonly hold: PublishRequest<"Hold Placed">;
    };

/**
 * Decides the rollback of a failed deployment (step 10). Where the environment has
 * `autoRollback`, the config commit is reverted through the config writer (a `revert` intent with
 * `revertOf` = the failed config commit, on the config repository's message group) and a hold is
 * placed on (environment, app) naming the failed image. Nothing is done for an environment
 * without auto-rollback, for the failure of a rollback's own revert (a human must look), or when
 * the configuration no longer knows the app, its target or the image of the failure.
 *
 * The revert intent's `image` is the image the failed commit deployed (the one taken out); the
 * config writer reads the image the revert brings back from the file and reports that one.
 *
 * @example
 * ```ts
 * const plan = planRollback({ failed: event.detail, config, now: clock.now() });
 * if (plan.action === "revert") await queue.send({ body: JSON.stringify(plan.intent), groupId: plan.groupId, deduplicationId: plan.intent.intentId });
 * ```
 */
export function planRollback(options: {
  readonly failed: DeploymentFailed;
  readonly config: Pick<ShiplineConfig, "apps" | "environments" | "configRepo">;
  readonly now: Date;
}): RollbackPlan {
  const { failed, config } = options;
  const environment = config.environments.find((candidate) => candidate.name === failed.environment);
  if (environment === undefined)
    return skip(`environment '${failed.environment}' is not in the configuration`);
  if (!environment.autoRollback) return skip(`environment '${environment.name}' has no autoRollback`);
  if (failed.kind === "revert") {
    return skip(
      `config commit ${failed.revision} is itself a rollback; its failure needs a human, not another revert`,
    );
  }
  const app = config.apps.find((candidate) => candidate.name === failed.app);
  const target = app?.deploy[failed.environment];
  if (app === undefined || target === undefined) {
    return skip(`app '${failed.app}' has no deploy target for '${failed.environment}' in the configuration`);
  }
  if (failed.digest === undefined || failed.tag === undefined) {
    return skip(
      `the failure of ${failed.revision} does not name its image (tag and digest), so no revert intent can be written`,
    );
  }
  const intentId = rollbackIntentId({
    app: app.name,
    environment: environment.name,
    revertOf: failed.revision,
  });
  const intent: WriteIntentInput = {
    intentId,
    kind: "revert",
    app: app.name,
    environment: environment.name,
    commit: failed.commit,
    correlationId: failed.correlationId,
    target,
    image: { repository: app.image.repository, tag: failed.tag, digest: failed.digest },
    revertOf: failed.revision,
  };
  const reason = `deployment of config commit ${failed.revision} failed: ${failed.reason}`;
  return {
    action: "revert",
    intent,
    groupId: writeIntentGroupId(config.configRepo.url, config.configRepo.branch),
    hold: {
      detailType: DetailType.HoldPlaced,
      detail: {
        app: app.name,
        commit: failed.commit,
        correlationId: failed.correlationId,
        environment: environment.name,
        reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason,
        placedBy: ROLLBACK_HOLDER,
        digest: failed.digest,
      },
      time: options.now,
    },
  };
}

function skip(reason: string): RollbackPlan {
  return { action: "skip", reason };
}
