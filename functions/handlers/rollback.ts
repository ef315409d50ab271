import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { DetailType } from "../core/contracts/detail-type.js";
import type { MessageQueue } from "../core/ports/message-queue.js";
import { planRollback } from "../core/rollback/plan-rollback.js";
import { rollbackCommitted } from "../core/rollback/rollback-committed.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { shiplineInput } from "./shared/step-input.js";

/** What `rollback` needs beyond every step's dependencies. */
export interface RollbackDeps extends StepDeps {
  readonly config: Pick<ShiplineConfig, "apps" | "environments" | "configRepo">;
  /** The config repository's FIFO writer queue. */
  readonly writeQueue: MessageQueue;
}

/** What `rollback` did with one event. */
export type RollbackResult =
  | { readonly outcome: "reverting"; readonly intentId: string }
  | { readonly outcome: "recorded"; readonly revertedCommit: string }
  | { readonly outcome: "skipped"; readonly reason: string };

/**
 * The `rollback` step (10), triggered by two rules:
 * - `Deployment Failed` in an environment with auto-rollback: sends the revert intent of the failed
 *   config commit to the writer queue (deduplicated by its intent id), then publishes
 *   `Hold Placed` (placedBy `rollback`) so promotion does not bring the same image back;
 * - `Config Committed` of kind `revert` carrying a rollback's intent id: publishes
 *   `Rollback Committed` (the revert is in the config repository; `dispatch-sync` deploys it).
 * Anything else is skipped with the reason logged. A queue or bus fault is retried.
 *
 * @example
 * ```ts
 * export const handler = makeRollbackHandler({ ...createStepDeps({ step: "rollback", environment: step }), config, writeQueue });
 * ```
 */
export function makeRollbackHandler(
  deps: RollbackDeps,
): MiddyfiedHandler<unknown, RollbackResult | undefined, Error, Context> {
  return createStepHandler({
    step: "rollback",
    input: shiplineInput(DetailType.DeploymentFailed, DetailType.ConfigCommitted),
    deps,
    run: async ({ event }): Promise<RollbackResult> => {
      const now = deps.clock.now();
      if (event["detail-type"] === DetailType.ConfigCommitted) {
        const committed = rollbackCommitted({ committed: event.detail, now });
        if (committed === undefined) {
          deps.logger.info("Config commit is not a rollback's revert; nothing to record", {
            configCommit: event.detail.configCommit,
            intentId: event.detail.intentId,
          });
          return { outcome: "skipped", reason: "not a rollback's revert" };
        }
        await deps.publisher.publish([committed]);
        deps.logger.info("Rollback committed", { ...committed.detail });
        return { outcome: "recorded", revertedCommit: committed.detail.revertedCommit };
      }
      const plan = planRollback({ failed: event.detail, config: deps.config, now });
      if (plan.action === "skip") {
        deps.logger.info("No rollback", { reason: plan.reason, revision: event.detail.revision });
        return { outcome: "skipped", reason: plan.reason };
      }
      await deps.writeQueue.send({
        body: JSON.stringify(plan.intent),
        groupId: plan.groupId,
        deduplicationId: plan.intent.intentId,
      });
      await deps.publisher.publish([plan.hold]);
      deps.logger.info("Rollback requested and hold placed", {
        intentId: plan.intent.intentId,
        revertOf: plan.intent.revertOf,
        environment: plan.intent.environment,
      });
      return { outcome: "reverting", intentId: plan.intent.intentId };
    },
  });
}
