import { DetailType } from "../contracts/detail-type.js";
import type { BakeDetail } from "../contracts/events/bake-detail.js";
import type { CanaryProgress } from "../contracts/events/canary-progress.js";
import type { SyncRequested } from "../contracts/events/sync-requested.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import type { ArgoCdApplication } from "./argocd-application.js";
import type { FailingResource } from "./failing-resources.js";

function common(request: SyncRequested) {
  return {
    app: request.app,
    commit: request.commit,
    correlationId: request.correlationId,
    environment: request.environment,
    cluster: request.cluster,
    application: request.application,
    revision: request.revision,
    ...(request.digest === undefined ? {} : { digest: request.digest }),
    ...(request.kind === undefined ? {} : { kind: request.kind }),
  };
}

/**
 * The `Deployment Verified` of a sync request: the application runs the revision, Synced and
 * Healthy; `durationSeconds` counts from the request's publication. `revision` stays the requested
 * config commit (what downstream steps match on); `syncedRevision`, when given, is the later
 * commit Argo CD was Synced at while running the requested image.
 *
 * @example
 * ```ts
 * await publisher.publish([deploymentVerified({ request, requestedAt, now: clock.now() })]);
 * ```
 */
export function deploymentVerified(options: {
  readonly request: SyncRequested;
  readonly requestedAt: Date;
  readonly now: Date;
  /** The later config commit Argo CD was Synced at, when not the requested one. */
  readonly syncedRevision?: string;
  /** The canary steps seen, when the application deploys an Argo Rollouts canary. */
  readonly canary?: CanaryProgress;
  /** The metric gate the deployment held. */
  readonly bake?: BakeDetail;
}): PublishRequest<"Deployment Verified"> {
  const seconds = (options.now.getTime() - options.requestedAt.getTime()) / 1000;
  return {
    detailType: DetailType.DeploymentVerified,
    detail: {
      ...common(options.request),
      syncStatus: "Synced",
      health: "Healthy",
      ...(options.syncedRevision === undefined || options.syncedRevision === options.request.revision
        ? {}
        : { syncedRevision: options.syncedRevision }),
      ...(seconds >= 0 ? { durationSeconds: seconds } : {}),
      ...(options.canary === undefined ? {} : { canary: options.canary }),
      ...(options.bake === undefined ? {} : { bake: options.bake }),
    },
    time: options.now,
  };
}

/**
 * The `Deployment Failed` of a sync request, with the reason, the application's sync, health and
 * operation state when it could be read, and the failing resources.
 *
 * @example
 * ```ts
 * await publisher.publish([deploymentFailed({ request, reason, application, resources, now })]);
 * ```
 */
export function deploymentFailed(options: {
  readonly request: SyncRequested;
  readonly reason: string;
  readonly application?: ArgoCdApplication;
  readonly resources?: readonly FailingResource[];
  /** The canary steps seen, when the application deploys an Argo Rollouts canary. */
  readonly canary?: CanaryProgress;
  /** The metric gate, when the deployment was baked. */
  readonly bake?: BakeDetail;
  /** The failure's code (see `DeploymentFailureCode`). */
  readonly code?: string;
  readonly now: Date;
}): PublishRequest<"Deployment Failed"> {
  const status = options.application?.status;
  const syncStatus = status?.sync?.status;
  const health = status?.health?.status;
  const operationPhase = status?.operationState?.phase;
  return {
    detailType: DetailType.DeploymentFailed,
    detail: {
      ...common(options.request),
      ...(options.request.tag === undefined ? {} : { tag: options.request.tag }),
      reason: options.reason,
      ...(syncStatus === undefined ? {} : { syncStatus }),
      ...(health === undefined ? {} : { health }),
      ...(operationPhase === undefined ? {} : { operationPhase }),
      resources: [...(options.resources ?? [])],
      ...(options.canary === undefined ? {} : { canary: options.canary }),
      ...(options.bake === undefined ? {} : { bake: options.bake }),
      ...(options.code === undefined ? {} : { code: options.code }),
    },
    time: options.now,
  };
}
