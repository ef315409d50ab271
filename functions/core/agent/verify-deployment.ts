import { formatDuration } from "../config/duration.js";
import type { BakeDetail } from "../contracts/events/bake-detail.js";
import type { CanaryProgress } from "../contracts/events/canary-progress.js";
import type { SyncRequested } from "../contracts/events/sync-requested.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { Clock } from "../ports/clock.js";
import type { EventPublisher } from "../ports/event-publisher.js";
import type { ArgoCdApi } from "./argocd-api.js";
import { type ArgoCdApplication, isAutoSynced } from "./argocd-application.js";
import { bakeDeployment } from "./bake-deployment.js";
import { CanaryWatch } from "./canary-watch.js";
import { DeploymentFailureCode } from "./deployment-failure-code.js";
import { deploymentFailed, deploymentVerified } from "./deployment-outcome.js";
import { type FailingResource, failingResources, withFailedRollout } from "./failing-resources.js";
import { holdsRequestedImage } from "./holds-requested-image.js";
import { judgeAfterBake } from "./judge-after-bake.js";
import { judgeApplication } from "./judge-application.js";
import { judgeLaterRevision } from "./judge-later-revision.js";
import type { MetricChecks } from "./metric-checks.js";
import type { RevisionOrder } from "./revision-order.js";
import type { RolloutsApi } from "./rollouts-api.js";
import type { VerifiedRevisions } from "./verified-revisions.js";

/** Options of {@link verifyDeployment}. */
export interface VerifyDeploymentOptions {
  readonly request: SyncRequested;
  /** When the request was published (for `durationSeconds`). */
  readonly requestedAt: Date;
  readonly argocd: ArgoCdApi;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  /** What this agent verified before (duplicates, stale requests). */
  readonly verified: VerifiedRevisions;
  /** Commit order of revisions (stale and superseded requests). */
  readonly order: RevisionOrder;
  /** Waits between polls; resolves early when `signal` aborts. */
  readonly sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Time between two reads of the application. @default 5000 */
  readonly pollIntervalMs?: number;
  /** Every this many polls the read asks Argo CD to refresh (re-read git). @default 6 */
  readonly refreshEvery?: number;
  /** Aborts the watch (shutdown): a retryable `AGENT_STOPPING` is thrown, the request is not answered. */
  readonly signal?: AbortSignal;
  /**
   * Reads (and promotes) the Argo Rollouts the application manages; without it Rollouts are judged
   * by Argo CD's health alone. See {@link CanaryWatch}.
   */
  readonly rollouts?: RolloutsApi;
  /**
   * Reads the metric gate's check when the request carries a `bake` (see {@link bakeDeployment}).
   * @default - a request with a bake fails closed
   */
  readonly metricChecks?: MetricChecks;
  /** Time between two reads of the metric gate's check. @default 15000 */
  readonly bakeIntervalMs?: number;
}

/** What became of a sync request. */
export type VerifyDeploymentOutcome =
  /** Failed, with a {@link DeploymentFailureCode} (or an `ARGOCD_*` code); `bakeSeconds` when it was baked. */
  | {
      readonly outcome: "failed";
      readonly reason: string;
      readonly code: string;
      readonly bakeSeconds?: number;
    }
  /**
   * Verified; `syncedRevision` is the later commit Argo CD was Synced at, when not the requested
   * one; `bakeSeconds` how long the metric gate held.
   */
  | { readonly outcome: "verified"; readonly syncedRevision?: string; readonly bakeSeconds?: number }
  /** Verified before by this agent: nothing published again. */
  | { readonly outcome: "duplicate" }
  /** Older than the revision already verified: skipped, so that nothing is rolled back. */
  | { readonly outcome: "stale"; readonly current: string }
  /**
   * A later commit deploys another image of the app in its place (Argo CD is Synced there): nothing
   * is published, that commit's own request answers for it.
   */
  | { readonly outcome: "superseded"; readonly current: string };

/**
 * The agent's use case for one `Sync Requested`: brings the Argo CD application to the config
 * commit (or finds it at a later one that still deploys the commit's image) and publishes
 * `Deployment Verified` or `Deployment Failed`.
 *
 * 1. A revision this agent verified before is a duplicate: nothing is published.
 * 2. The application is refreshed. A revision committed before the one this agent verified last
 *    is stale and skipped. (A request that names no image is also stale when older than what Argo
 *    CD runs Synced and Healthy; one that names its image is judged by it, step 4.)
 * 3. An application without auto-sync is synced to the revision, unless an operation for it runs
 *    or ran already, or it is Synced at a later commit containing the revision; while another
 *    operation runs it waits (Argo CD allows one at a time).
 * 4. It polls until the revision is verified or failed, or the deadline passes. At the revision,
 *    {@link judgeApplication} decides. At a later commit containing it (a config repository shared
 *    by several apps moves on with their commits), {@link judgeLaterRevision} does: Synced there
 *    and still running the request's image (`status.summary.images`) verifies it when Healthy
 *    (`Deployment Verified` keeps the requested `revision` and adds `syncedRevision`), fails it
 *    when Degraded; Synced there with another image of the app supersedes it (nothing is
 *    published: that commit's own request answers).
 *
 * 5. With `rollouts`, an application Synced at the revision whose resources include an Argo Rollouts
 *    canary is verified only once the canary has run its steps ({@link CanaryWatch}): each step
 *    change is recorded on the outcome's `canary` and moves the deadline (by the request's window,
 *    up to `rollout.until`), a `pause: {}` step is promoted when `rollout.promotePauses` says so,
 *    and an aborted or Degraded Rollout fails the deployment with the Rollout's message.
 * 6. With a `bake` on the request (the environment's metric gate), a deployment found verified is
 *    baked first ({@link bakeDeployment}): `Deployment Verified` only once its check stayed healthy
 *    for the window, else `Deployment Failed` with the code (`METRIC_CHECK_BREACHED`,
 *    `METRIC_CHECK_UNREACHABLE`) and the reason; both record the `bake`. After a passed bake the
 *    application is read once more and judged as in step 4 ({@link judgeAfterBake}): no longer
 *    Synced and Healthy at the revision, it fails with `DEPLOYMENT_UNHEALTHY` and what Argo CD
 *    reports, so rollback runs.
 *
 * Argo CD errors that may pass (unreachable, in progress, unauthorised) are thrown while the
 * deadline is ahead, so the message comes back later; past the deadline they fail the deployment.
 * A permanent one (no such application) fails it at once.
 *
 * @example
 * ```ts
 * const result = await verifyDeployment({ request, requestedAt, argocd, publisher, clock, verified, order, sleep });
 * ```
 */
export async function verifyDeployment(options: VerifyDeploymentOptions): Promise<VerifyDeploymentOutcome> {
  const { request, verified } = options;
  if (verified.has(request.application, request.revision)) return { outcome: "duplicate" };
  let application: ArgoCdApplication | undefined;
  try {
    application = await options.argocd.getApplication(request.application, { refresh: "normal" });
    const stale = await staleAgainst(options, application);
    if (stale !== undefined) return { outcome: "stale", current: stale };
    return await watch(options, application);
  } catch (error) {
    // Only Argo CD's answers decide the deployment; a publish or shutdown error is the caller's.
    if (!(error instanceof ShiplineError) || !error.code.startsWith("ARGOCD_")) throw error;
    const pastDeadline = options.clock.now().getTime() >= Date.parse(request.deadline);
    if (error.retryable && !pastDeadline) throw error;
    const reason = error.retryable
      ? `the deadline ${request.deadline} passed while Argo CD could not answer: ${error.message}`
      : error.message;
    const code = error.retryable ? DeploymentFailureCode.DeadlinePassed : error.code;
    await publishFailed(options, reason, application, undefined, { code });
    return { outcome: "failed", reason, code };
  }
}

/** The verified revision the request is older than, if it is. */
async function staleAgainst(
  options: VerifyDeploymentOptions,
  application: ArgoCdApplication,
): Promise<string | undefined> {
  const { request } = options;
  const known = options.verified.latest(request.application)?.revision;
  const judgedByImage = holdsRequestedImage(application, request) !== undefined;
  const running = judgeApplication({ application, revision: application.status?.sync?.revision ?? "" });
  const fromArgoCd =
    running.state === "verified" && !judgedByImage ? application.status?.sync?.revision : undefined;
  const current = known ?? fromArgoCd;
  if (current === undefined || current === request.revision) return undefined;
  return (await options.order.isOlder(request.application, request.revision, current)) ? current : undefined;
}

async function watch(
  options: VerifyDeploymentOptions,
  first: ArgoCdApplication,
): Promise<VerifyDeploymentOutcome> {
  const { request, argocd, clock } = options;
  const deadline = Date.parse(request.deadline);
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const refreshEvery = Math.max(1, options.refreshEvery ?? 6);
  let application = first;
  let syncStarted = false;
  const canary =
    options.rollouts === undefined
      ? undefined
      : new CanaryWatch({ request, requestedAt: options.requestedAt, rollouts: options.rollouts, clock });
  for (let poll = 1; ; poll++) {
    const judgement = judgeApplication({ application, revision: request.revision });
    const tracked = application.status?.sync?.revision;
    const atLater =
      judgement.state === "waiting" &&
      judgement.runningRevision === undefined &&
      (await containedIn(options, tracked));
    // At a later commit still deploying the requested image, the Rollout is the request's canary.
    const deploysRequest =
      atLater &&
      application.status?.sync?.status === "Synced" &&
      holdsRequestedImage(application, request) === true;
    const rollout = (await canary?.observe(application, { laterRevision: deploysRequest })) ?? {
      state: "none" as const,
    };
    const progress = canary?.progress();
    if (rollout.state === "failed") {
      const code = DeploymentFailureCode.CanaryFailed;
      const resources =
        progress === undefined
          ? undefined
          : withFailedRollout(failingResources(application), progress.rollout, rollout.reason);
      await publishFailed(options, rollout.reason, application, progress, {
        code,
        ...(resources === undefined ? {} : { resources }),
      });
      return { outcome: "failed", reason: rollout.reason, code };
    }
    if (judgement.state === "verified" && rollout.state !== "waiting")
      return await publishVerified(options, undefined, progress, application);
    if (judgement.state === "failed") {
      const code = DeploymentFailureCode.Unhealthy;
      await publishFailed(options, judgement.reason, application, progress, { code });
      return { outcome: "failed", reason: judgement.reason, code };
    }
    // Healthy while a canary step still runs (a read between two steps): it waits for the canary.
    const waiting =
      judgement.state === "verified" ? { runningRevision: undefined, syncedByOperation: true } : judgement;
    const later = atLater
      ? judgeLaterRevision({ application, revision: request.revision, image: request })
      : undefined;
    if (later?.state === "verified" && rollout.state !== "waiting")
      return await publishVerified(options, later.syncedRevision, progress, application);
    if (later?.state === "failed") {
      const code = DeploymentFailureCode.Unhealthy;
      await publishFailed(options, later.reason, application, progress, { code });
      return { outcome: "failed", reason: later.reason, code };
    }
    if (later?.state === "superseded") return { outcome: "superseded", current: later.current };
    const syncedLater = (later?.state === "pending" && later.synced) || later?.state === "verified";
    if (isAutoSynced(application)) {
      // A request that names no image cannot be judged at the newer commit: as before, it yields.
      if (
        later?.state === "unknown" &&
        tracked !== undefined &&
        (await options.order.isOlder(request.application, request.revision, tracked))
      ) {
        return { outcome: "superseded", current: tracked };
      }
    } else if (
      !syncStarted &&
      !syncedLater &&
      !waiting.syncedByOperation &&
      waiting.runningRevision === undefined
    ) {
      syncStarted = await startSync(argocd, request);
    } else if (waiting.runningRevision === request.revision) {
      syncStarted = true;
    }
    const due = canary?.deadline().getTime() ?? deadline;
    const left = due - clock.now().getTime();
    if (left <= 0) {
      const where = canary?.describe();
      const reason = `the deadline ${new Date(due).toISOString()} passed before ${request.application} was Synced and Healthy at ${request.revision} (sync ${application.status?.sync?.status ?? "unknown"} at ${tracked ?? "no revision"}, health ${application.status?.health?.status ?? "unknown"}${where === undefined ? "" : `; ${where}`})`;
      const code = DeploymentFailureCode.DeadlinePassed;
      await publishFailed(options, reason, application, canary?.progress(), { code });
      return { outcome: "failed", reason, code };
    }
    await options.sleep(Math.min(pollIntervalMs, left), options.signal);
    if (options.signal?.aborted) {
      throw new ShiplineError({
        code: "AGENT_STOPPING",
        message: `the agent is stopping; the sync request for ${request.application} at ${request.revision} is left for the next agent`,
        data: { application: request.application, revision: request.revision },
        retryable: true,
      });
    }
    const refresh = poll % refreshEvery === 0 ? { refresh: "normal" as const } : {};
    application = await argocd.getApplication(request.application, refresh);
  }
}

/**
 * Whether Argo CD compares the application with a later commit than the requested one that
 * contains it (a commit of the same second counts: the head was read after the request).
 */
async function containedIn(options: VerifyDeploymentOptions, tracked: string | undefined): Promise<boolean> {
  const { request } = options;
  if (tracked === undefined || tracked === request.revision) return false;
  return options.order.isAtOrBefore(request.application, request.revision, tracked);
}

async function publishVerified(
  options: VerifyDeploymentOptions,
  syncedRevision: string | undefined,
  canary: CanaryProgress | undefined,
  application: ArgoCdApplication,
): Promise<VerifyDeploymentOutcome> {
  const { request, clock } = options;
  const baked =
    request.bake === undefined
      ? undefined
      : await bakeDeployment({
          bake: request.bake,
          clock,
          sleep: options.sleep,
          what: `${request.application} at ${request.revision}`,
          ...(options.metricChecks === undefined ? {} : { checks: options.metricChecks }),
          ...(options.bakeIntervalMs === undefined ? {} : { intervalMs: options.bakeIntervalMs }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
  if (baked?.verdict === "failed") {
    await publishFailed(options, baked.reason, application, canary, { code: baked.code, bake: baked.bake });
    return { outcome: "failed", reason: baked.reason, code: baked.code, bakeSeconds: baked.seconds };
  }
  if (baked !== undefined) {
    // The bake may have lasted hours: what was Synced and Healthy then is read again now.
    const after = await options.argocd.getApplication(request.application);
    const judgement = judgeAfterBake({
      application: after,
      revision: request.revision,
      image: request,
      atLaterCommit: await containedIn(options, after.status?.sync?.revision),
      window: formatDuration(baked.bake.window),
    });
    if (judgement.state === "superseded") return { outcome: "superseded", current: judgement.current };
    if (judgement.state === "failed") {
      const code = DeploymentFailureCode.Unhealthy;
      await publishFailed(options, judgement.reason, after, canary, { code, bake: baked.bake });
      return { outcome: "failed", reason: judgement.reason, code, bakeSeconds: baked.seconds };
    }
    syncedRevision = judgement.syncedRevision;
  }
  await options.publisher.publish([
    deploymentVerified({
      request,
      requestedAt: options.requestedAt,
      now: clock.now(),
      ...(syncedRevision === undefined ? {} : { syncedRevision }),
      ...(canary === undefined ? {} : { canary }),
      ...(baked === undefined ? {} : { bake: baked.bake }),
    }),
  ]);
  options.verified.record(request.application, request.revision, clock.now());
  return {
    outcome: "verified",
    ...(syncedRevision === undefined ? {} : { syncedRevision }),
    ...(baked === undefined ? {} : { bakeSeconds: baked.seconds }),
  };
}

/** Starts the sync; false when another operation runs (the next poll tries again). */
async function startSync(argocd: ArgoCdApi, request: SyncRequested): Promise<boolean> {
  try {
    await argocd.syncApplication(request.application, { revision: request.revision });
    return true;
  } catch (error) {
    if (error instanceof ShiplineError && error.code === "ARGOCD_OPERATION_IN_PROGRESS") return false;
    throw error;
  }
}

async function publishFailed(
  options: VerifyDeploymentOptions,
  reason: string,
  application: ArgoCdApplication | undefined,
  canary: CanaryProgress | undefined,
  also: {
    readonly code: string;
    readonly bake?: BakeDetail;
    /** The failing resources, when newer reads than the application's tell them. */
    readonly resources?: readonly FailingResource[];
  },
): Promise<void> {
  const { resources, ...rest } = also;
  await options.publisher.publish([
    deploymentFailed({
      request: options.request,
      reason,
      ...(application === undefined
        ? {}
        : {
            application,
            resources: resources === undefined ? failingResources(application) : [...resources],
          }),
      ...(canary === undefined ? {} : { canary }),
      ...rest,
      now: options.clock.now(),
    }),
  ]);
}
