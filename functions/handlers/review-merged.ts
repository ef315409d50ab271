import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { DetailType } from "../core/contracts/detail-type.js";
import { mergedProposals } from "../core/writer/merged-proposals.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { shiplineInput } from "./shared/step-input.js";

/** What `review-merged` needs beyond every step's dependencies. */
export interface ReviewMergedDeps extends StepDeps {
  /** The configuration: the config repository, which environments ask for review, the apps' targets. */
  readonly config: Pick<ShiplineConfig, "configRepo" | "environments" | "apps">;
}

/** What `review-merged` did with one `Commit Pushed`. */
export interface ReviewMergedResult {
  /** The intents reported as `Config Committed`. */
  readonly committed: readonly string[];
  /** Why the push was not looked at, when it was not. */
  readonly ignored?: string;
}

/**
 * The `review-merged` step (7, for `approval: pull-request`): for a `Commit Pushed` of the config
 * repository's branch, publishes `Config Committed` for every Shipline pull request the push merged
 * (see `mergedProposals`), so dispatch-sync and the cluster agent deploy and verify it as they do a
 * direct commit. Pushes of other repositories and branches are ignored; an intent that cannot be
 * reported is logged with the reason; a bus fault is retried.
 *
 * @example
 * ```ts
 * export const handler = makeReviewMergedHandler({ ...createStepDeps({ step: "review-merged", environment: step }), config });
 * ```
 */
export function makeReviewMergedHandler(
  deps: ReviewMergedDeps,
): MiddyfiedHandler<unknown, ReviewMergedResult | undefined, Error, Context> {
  return createStepHandler({
    step: "review-merged",
    input: shiplineInput(DetailType.CommitPushed),
    deps,
    run: async ({ event }): Promise<ReviewMergedResult> => {
      const result = mergedProposals({ push: event.detail, config: deps.config, time: deps.clock.now() });
      if (result.ignored !== undefined) {
        deps.logger.debug("Push is not a merge into the config branch", { reason: result.ignored });
        return { committed: [], ignored: result.ignored };
      }
      for (const skipped of result.skipped) {
        deps.logger.warn("Merged intent not reported", {
          intentId: skipped.intentId,
          reason: skipped.reason,
        });
      }
      if (result.events.length > 0) await deps.publisher.publish(result.events);
      const committed = result.events.map((request) => request.detail.intentId);
      deps.logger.info("Merged pull requests reported", { committed, configCommit: event.detail.after });
      return { committed };
    },
  });
}
