import type { ArgoCdApplication } from "./argocd-application.js";
import type { FailingResource } from "./failing-resources.js";
import { failingResources } from "./failing-resources.js";
import { holdsRequestedImage, type RequestedImage } from "./holds-requested-image.js";

/** What an application at a later config commit says about a requested one. */
export type LaterJudgement =
  /**
   * The requested image runs, Healthy: at the later commit, Synced (`syncedRevision` is that
   * commit), or by the request's own sync operation while Argo CD compares with a newer head.
   */
  | { readonly state: "verified"; readonly syncedRevision?: string }
  /** The requested image runs, applied, but Degraded. */
  | {
      readonly state: "failed";
      readonly reason: string;
      readonly resources: readonly FailingResource[];
    }
  /** The application is Synced at the later commit, which deploys another image of the app. */
  | { readonly state: "superseded"; readonly current: string }
  /**
   * Nothing decided yet. `synced` tells whether the application is already Synced at the later
   * commit (no sync to the requested one is needed: it only has to become healthy).
   */
  | { readonly state: "pending"; readonly synced: boolean }
  /** The request names no image (no tag, no digest): the later commit cannot be judged. */
  | { readonly state: "unknown" };

/**
 * Judges an application that Argo CD reports at a later commit of the config branch than the
 * requested one (`status.sync.revision`, a commit that contains the requested one; the caller
 * orders them), with no operation running. In a config repository shared by several apps the
 * branch moves on with other apps' commits, and Argo CD compares each application with the head:
 * - Synced there and still running the requested image (`status.summary.images`): verified once
 *   Healthy, failed when Degraded, pending while it progresses;
 * - Synced there with another image of the app: a later commit changed it, the request is
 *   superseded (that commit's own request answers for it);
 * - not Synced there, but the request's own sync operation succeeded and its image runs (Argo CD
 *   compares with a head that asks for a newer image): judged by health like the Synced case;
 * - otherwise pending: the application has not reached the image yet.
 *
 * @example
 * ```ts
 * const judgement = judgeLaterRevision({ application, revision: request.revision, image: request });
 * if (judgement.state === "superseded") return { outcome: "superseded", current: judgement.current };
 * ```
 */
export function judgeLaterRevision(options: {
  readonly application: ArgoCdApplication;
  /** The requested config commit. */
  readonly revision: string;
  /** The image the requested commit deploys. */
  readonly image: RequestedImage;
}): LaterJudgement {
  const { application, revision } = options;
  const status = application.status;
  const later = status?.sync?.revision ?? "";
  const holds = holdsRequestedImage(application, options.image);
  if (holds === undefined) return { state: "unknown" };
  const synced = status?.sync?.status === "Synced";
  const operation = status?.operationState ?? undefined;
  const operationRevision = operation?.syncResult?.revision ?? operation?.operation?.sync?.revision;
  const syncedByOperation = operation?.phase === "Succeeded" && operationRevision === revision;
  if (!holds) return synced ? { state: "superseded", current: later } : { state: "pending", synced: false };
  if (!synced && !syncedByOperation) return { state: "pending", synced: false };
  const health = status?.health?.status;
  if (health === "Healthy")
    return synced ? { state: "verified", syncedRevision: later } : { state: "verified" };
  if (health === "Degraded") {
    const message = status?.health?.message;
    const where = synced
      ? `at ${later}, which still deploys the requested image`
      : `after its sync to ${revision}`;
    return {
      state: "failed",
      reason: `the application is Degraded ${where}${message ? `: ${message}` : ""}`,
      resources: failingResources(application),
    };
  }
  return { state: "pending", synced };
}
