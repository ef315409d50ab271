import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { DetailType } from "../core/contracts/detail-type.js";
import type { ConfigRepository } from "../core/ports/config-repository.js";
import { mergedProposals } from "../core/writer/merged-proposals.js";
import { personChangeEvents } from "../core/writer/person-change-events.js";
import { findPersonChanges } from "../core/writer/person-changes.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { shiplineInput } from "./shared/step-input.js";

/** What `review-merged` needs beyond every step's dependencies. */
export interface ReviewMergedDeps extends StepDeps {
  /** The configuration: the config repository, which environments ask for review, the apps' targets. */
  readonly config: Pick<ShiplineConfig, "configRepo" | "environments" | "apps">;
  /**
   * The config repository, read only: with it, a person's commits that change a deploy target are
   * found and recorded (a hold by that author, and `Config Committed` so the agent verifies it).
   * @default - only merged pull requests are reported
   */
  readonly repository?: ConfigRepository;
}

/** What `review-merged` did with one `Commit Pushed`. */
export interface ReviewMergedResult {
  /** The intents reported as `Config Committed`. */
  readonly committed: readonly string[];
  /** The (app, environment) pairs a person's commit changed: `app@environment`. */
  readonly personChanges?: readonly string[];
  /** Why the push was not looked at, when it was not. */
  readonly ignored?: string;
}

/**
 * The `review-merged` step (7, for `approval: pull-request`): for a `Commit Pushed` of the config
 * repository's branch, publishes `Config Committed` for every Shipline pull request the push merged
 * (see `mergedProposals`), so dispatch-sync and the cluster agent deploy and verify it as they do a
 * direct commit. With the config repository at hand it also reads every commit of the push a
 * person made (no Shipline trailers): one that changed a deploy target's value places a hold by its
 * author (reason: its subject) and is reported as `Config Committed` (`by: person`), so the agent
 * verifies what now runs and automation leaves that environment alone until the hold is released
 * (DESIGN §7). Pushes of other repositories and branches are ignored; an intent that cannot be
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
      if (deps.repository === undefined) return { committed };
      const { changes } = await findPersonChanges({
        push: event.detail,
        config: deps.config,
        repo: deps.repository,
      });
      const requests = personChangeEvents({ changes, config: deps.config, time: deps.clock.now() });
      if (requests.length > 0) await deps.publisher.publish(requests);
      const personChanges = changes.map((change) => `${change.app}@${change.environment}`);
      if (changes.length > 0) {
        deps.logger.info("A person changed deploy targets: holds placed", {
          changes: changes.map((change) => ({
            app: change.app,
            environment: change.environment,
            author: change.author,
            configCommit: change.configCommit,
            from: change.from?.tag,
            to: change.to?.tag,
          })),
        });
      }
      return { committed, personChanges };
    },
  });
}
