import type { ArgoCdApplication } from "./argocd-application.js";
import type { FailingResource } from "./failing-resources.js";
import { failingResources } from "./failing-resources.js";

/** What an application's status says about one revision. */
export type Judgement =
  /** At the revision, Synced and Healthy, with no operation of it unfinished. */
  | { readonly state: "verified" }
  /** The revision's sync failed, or its resources went Degraded. */
  | {
      readonly state: "failed";
      readonly reason: string;
      readonly resources: readonly FailingResource[];
    }
  /** Not there yet. `operation` tells what Argo CD is doing meanwhile. */
  | {
      readonly state: "waiting";
      /** The revision of the operation running now, if one runs. */
      readonly runningRevision?: string;
      /** True once an operation for the revision has ended successfully (health may still be progressing). */
      readonly syncedByOperation: boolean;
    };

const RUNNING = new Set(["Running", "Terminating"]);
const FAILED = new Set(["Failed", "Error"]);

/**
 * Judges an application's status against the revision a sync request asks for (the agent's
 * verification step, run on every poll):
 * - an operation on the revision that ended `Failed` or `Error` fails it (with the resources the
 *   sync result reports as not synced);
 * - at the revision (`status.sync.revision`), `Synced` and `Healthy`, with no operation of the
 *   revision still running, verifies it;
 * - at the revision, `Synced` but `Degraded`, fails it (with the unhealthy resources);
 * - anything else is waiting: an operation running, another revision, health progressing.
 *
 * @example
 * ```ts
 * const judgement = judgeApplication({ application, revision: request.revision });
 * if (judgement.state === "verified") await publishVerified();
 * ```
 */
export function judgeApplication(options: {
  readonly application: ArgoCdApplication;
  readonly revision: string;
}): Judgement {
  const { application, revision } = options;
  const status = application.status;
  const operation = status?.operationState ?? undefined;
  const operationRevision = operation?.syncResult?.revision ?? operation?.operation?.sync?.revision;
  const running = operation !== undefined && RUNNING.has(operation.phase);
  if (operation !== undefined && operationRevision === revision && FAILED.has(operation.phase)) {
    return {
      state: "failed",
      reason: `the sync to ${revision} ended ${operation.phase}${operation.message ? `: ${operation.message}` : ""}`,
      resources: failingResources(application),
    };
  }
  const atRevision = status?.sync?.revision === revision;
  const healthStatus = status?.health?.status;
  if (atRevision && !running && status?.sync?.status === "Synced" && healthStatus === "Healthy") {
    return { state: "verified" };
  }
  // Degraded counts once the revision is applied: before that it is the previous version's health.
  if (atRevision && !running && status?.sync?.status === "Synced" && healthStatus === "Degraded") {
    const message = status?.health?.message;
    return {
      state: "failed",
      reason: `the application is Degraded at ${revision}${message ? `: ${message}` : ""}`,
      resources: failingResources(application),
    };
  }
  return {
    state: "waiting",
    ...(running && operationRevision !== undefined ? { runningRevision: operationRevision } : {}),
    syncedByOperation: operation?.phase === "Succeeded" && operationRevision === revision,
  };
}
