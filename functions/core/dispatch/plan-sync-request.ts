import type { ShiplineConfig } from "../config/shipline-config.js";
import { DetailType } from "../contracts/detail-type.js";
import type { ConfigCommitted } from "../contracts/events/config-committed.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { Clock } from "../ports/clock.js";
import type { PublishRequest } from "../ports/event-publisher.js";

/** Options of {@link planSyncRequest}. */
export interface PlanSyncRequestOptions {
  /** The committed config change. */
  readonly committed: ConfigCommitted;
  /** When the commit was announced (the `Config Committed` event's time), if known. */
  readonly committedAt?: string;
  /** The configuration: the app's deploy target and the environment's cluster and deadline. */
  readonly config: Pick<ShiplineConfig, "apps" | "environments" | "clusters">;
  /** Starts the verification deadline. */
  readonly clock: Clock;
}

/**
 * Addresses a `Config Committed` to the cluster that runs its environment: one `Sync Requested`
 * for the Argo CD application of the app's deploy target in that environment (default
 * `<app>-<environment>`), at the exact config commit, due within the environment's
 * `verifyDeadline`. The event carries the cluster, which routes it to that cluster's queue, the
 * environment's `rollout` policy (promote paused canary steps, the canary's latest end) and its
 * metric gate (`bake`), except on a revert.
 * Throws a permanent `DISPATCH_TARGET_UNKNOWN` when the configuration does not know the app, its
 * target in that environment, the environment or its cluster (the commit was made under another
 * configuration).
 *
 * @example
 * ```ts
 * const request = planSyncRequest({ committed: event.detail, config, clock: systemClock });
 * await publisher.publish([request]);
 * ```
 */
export function planSyncRequest(options: PlanSyncRequestOptions): PublishRequest<"Sync Requested"> {
  const { committed, config, clock } = options;
  const app = config.apps.find((candidate) => candidate.name === committed.app);
  const environment = config.environments.find((candidate) => candidate.name === committed.environment);
  const target = app?.deploy[committed.environment];
  const cluster = config.clusters.find((candidate) => candidate.name === environment?.cluster);
  if (app === undefined || environment === undefined || target === undefined || cluster === undefined) {
    const missing =
      app === undefined
        ? `app '${committed.app}' is not in the configuration`
        : environment === undefined
          ? `environment '${committed.environment}' is not in the configuration`
          : target === undefined
            ? `app '${committed.app}' has no deploy target for environment '${committed.environment}'`
            : `cluster '${environment.cluster}' of environment '${environment.name}' is not in clusters`;
    throw new ShiplineError({
      code: "DISPATCH_TARGET_UNKNOWN",
      message: `Config commit ${committed.configCommit} cannot be dispatched: ${missing}; deploy the configuration that made the commit, or add the missing entry`,
      data: { app: committed.app, environment: committed.environment, configCommit: committed.configCommit },
      retryable: false,
    });
  }
  const now = clock.now();
  const deadline = new Date(now.getTime() + environment.verifyDeadlineSeconds * 1000);
  return {
    detailType: DetailType.SyncRequested,
    detail: {
      app: committed.app,
      commit: committed.commit,
      correlationId: committed.correlationId,
      environment: environment.name,
      cluster: cluster.name,
      application: target.application,
      revision: committed.configCommit,
      deadline: deadline.toISOString(),
      digest: committed.digest,
      tag: committed.tag,
      kind: committed.kind,
      ...(options.committedAt === undefined ? {} : { committedAt: options.committedAt }),
      ...(environment.rollout === undefined
        ? {}
        : {
            rollout: {
              promotePauses: environment.rollout.promotePauses,
              until: new Date(now.getTime() + environment.rollout.maxSeconds * 1000).toISOString(),
            },
          }),
      // A revert restores what ran before: there is nothing to fall back to, so it is not baked.
      ...(environment.bake === undefined || committed.kind === "revert" ? {} : { bake: environment.bake }),
    },
    time: now,
  };
}
