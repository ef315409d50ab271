import type { SyncRequested } from "../contracts/events/sync-requested.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { Clock } from "../ports/clock.js";
import type { EventPublisher } from "../ports/event-publisher.js";
import type { ArgoCdApi } from "./argocd-api.js";
import { type ArgoCdApplication, isAutoSynced } from "./argocd-application.js";
import { deploymentFailed, deploymentVerified } from "./deployment-outcome.js";
import { failingResources } from "./failing-resources.js";
import { judgeApplication } from "./judge-application.js";
import type { RevisionOrder } from "./revision-order.js";
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
}

/** What became of a sync request. */
export type VerifyDeploymentOutcome =
  | { readonly outcome: "verified" | "failed"; readonly reason?: string }
  /** Verified before by this agent: nothing published again. */
  | { readonly outcome: "duplicate" }
  /** Older than the revision already verified: skipped, so that nothing is rolled back. */
  | { readonly outcome: "stale"; readonly current: string }
  /** The application (auto-synced) already tracks a newer commit, whose own request is verified instead. */
  | { readonly outcome: "superseded"; readonly current: string };

/**
 * The agent's use case for one `Sync Requested`: brings the Argo CD application to the exact
 * config commit and publishes `Deployment Verified` or `Deployment Failed`.
 *
 * 1. A revision this agent verified before is a duplicate: nothing is published.
 * 2. The application is refreshed. A revision committed before the one already verified (this
 *    agent's memory, else what Argo CD runs Synced and Healthy) is stale and skipped.
 * 3. An application without auto-sync is synced to the revision, unless an operation for it runs
 *    or ran already; while another operation runs it waits (Argo CD allows one at a time).
 *    An auto-synced application whose sync revision is a newer commit has superseded the request.
 * 4. It polls until {@link judgeApplication} verifies or fails the revision, or the deadline passes.
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
    await publishFailed(options, reason, application);
    return { outcome: "failed", reason };
  }
}

/** The verified revision the request is older than, if it is. */
async function staleAgainst(
  options: VerifyDeploymentOptions,
  application: ArgoCdApplication,
): Promise<string | undefined> {
  const { request } = options;
  const known = options.verified.latest(request.application)?.revision;
  const running = judgeApplication({ application, revision: application.status?.sync?.revision ?? "" });
  const current = known ?? (running.state === "verified" ? application.status?.sync?.revision : undefined);
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
  for (let poll = 1; ; poll++) {
    const judgement = judgeApplication({ application, revision: request.revision });
    if (judgement.state === "verified") {
      await options.publisher.publish([
        deploymentVerified({ request, requestedAt: options.requestedAt, now: clock.now() }),
      ]);
      options.verified.record(request.application, request.revision, clock.now());
      return { outcome: "verified" };
    }
    if (judgement.state === "failed") {
      await publishFailed(options, judgement.reason, application);
      return { outcome: "failed", reason: judgement.reason };
    }
    const tracked = application.status?.sync?.revision;
    if (isAutoSynced(application)) {
      if (
        judgement.runningRevision === undefined &&
        tracked !== undefined &&
        tracked !== request.revision &&
        (await options.order.isOlder(request.application, request.revision, tracked))
      ) {
        return { outcome: "superseded", current: tracked };
      }
    } else if (!syncStarted && !judgement.syncedByOperation && judgement.runningRevision === undefined) {
      syncStarted = await startSync(argocd, request);
    } else if (judgement.runningRevision === request.revision) {
      syncStarted = true;
    }
    const left = deadline - clock.now().getTime();
    if (left <= 0) {
      const reason = `the deadline ${request.deadline} passed before ${request.application} was Synced and Healthy at ${request.revision} (sync ${application.status?.sync?.status ?? "unknown"} at ${tracked ?? "no revision"}, health ${application.status?.health?.status ?? "unknown"})`;
      await publishFailed(options, reason, application);
      return { outcome: "failed", reason };
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
): Promise<void> {
  await options.publisher.publish([
    deploymentFailed({
      request: options.request,
      reason,
      ...(application === undefined ? {} : { application, resources: failingResources(application) }),
      now: options.clock.now(),
    }),
  ]);
}
