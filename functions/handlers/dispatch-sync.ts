import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { DetailType } from "../core/contracts/detail-type.js";
import { planSyncRequest } from "../core/dispatch/plan-sync-request.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { shiplineInput } from "./shared/step-input.js";

/** What `dispatch-sync` needs beyond every step's dependencies. */
export interface DispatchSyncDeps extends StepDeps {
  /** The configuration: apps' deploy targets, environments and clusters. */
  readonly config: Pick<ShiplineConfig, "apps" | "environments" | "clusters">;
}

/** What `dispatch-sync` did with one `Config Committed`. */
export interface DispatchSyncResult {
  readonly cluster: string;
  readonly application: string;
  readonly revision: string;
  readonly eventId: string;
}

/**
 * The `dispatch-sync` step (8): for a `Config Committed`, publishes the `Sync Requested` of the
 * app's Argo CD application in that environment (see `planSyncRequest`); the cluster-queue rule of
 * the environment's cluster routes it to that cluster's agent. A commit the configuration cannot
 * place is recorded as `Step Failed`; a bus fault is retried. A redelivered event requests the
 * sync again, which the agent recognises as a duplicate.
 *
 * @example
 * ```ts
 * export const handler = makeDispatchSyncHandler({ ...createStepDeps({ step: "dispatch-sync", environment: step }), config });
 * ```
 */
export function makeDispatchSyncHandler(
  deps: DispatchSyncDeps,
): MiddyfiedHandler<unknown, DispatchSyncResult | undefined, Error, Context> {
  return createStepHandler({
    step: "dispatch-sync",
    input: shiplineInput(DetailType.ConfigCommitted),
    deps,
    run: async ({ event }): Promise<DispatchSyncResult> => {
      const request = planSyncRequest({
        committed: event.detail,
        committedAt: event.time,
        config: deps.config,
        clock: deps.clock,
      });
      const [published] = await deps.publisher.publish([request]);
      const result = {
        cluster: request.detail.cluster,
        application: request.detail.application,
        revision: request.detail.revision,
        eventId: published?.eventId ?? "",
      };
      deps.logger.info("Sync requested", { ...result, deadline: request.detail.deadline });
      return result;
    },
  });
}
