import type { ArgoCdApplication } from "./argocd-application.js";
import type { RequestedImage } from "./holds-requested-image.js";
import { judgeApplication } from "./judge-application.js";
import { judgeLaterRevision } from "./judge-later-revision.js";

/** What the application says about a deployment once its bake has passed. */
export type AfterBakeJudgement =
  /** Still Synced and Healthy at the revision, or at a later commit still running its image. */
  | { readonly state: "verified"; readonly syncedRevision?: string }
  /** No longer Synced and Healthy there: `reason` says what Argo CD reports instead. */
  | { readonly state: "failed"; readonly reason: string }
  /** A later commit replaced it (another image, or a request without one): that commit answers. */
  | { readonly state: "superseded"; readonly current: string };

/**
 * Judges the application read again after a passed bake, as the verification judged it before the
 * bake: at the revision by {@link judgeApplication}, at a later commit containing it by
 * {@link judgeLaterRevision}. A bake may last hours, so what was Synced and Healthy when it started
 * may not be at its end; anything short of verified (Degraded, OutOfSync, progressing, a sync
 * running) fails the deployment, so that nothing unverified is promoted and rollback runs.
 *
 * @example
 * ```ts
 * const after = judgeAfterBake({ application, revision, image: request, atLaterCommit, window: "5m" });
 * if (after.state === "failed") await publishFailed(after.reason);
 * ```
 */
export function judgeAfterBake(options: {
  readonly application: ArgoCdApplication;
  /** The requested config commit. */
  readonly revision: string;
  /** The image the requested commit deploys. */
  readonly image: RequestedImage;
  /** Whether Argo CD compares the application with a later commit that contains the revision. */
  readonly atLaterCommit: boolean;
  /** The bake's window, as the reason names it (`5m`). */
  readonly window: string;
}): AfterBakeJudgement {
  const { application, revision } = options;
  const judgement = judgeApplication({ application, revision });
  if (judgement.state === "verified") return { state: "verified" };
  const status = application.status;
  const tracked = status?.sync?.revision;
  const after = `after the ${options.window} bake`;
  if (judgement.state === "waiting" && judgement.runningRevision === undefined && options.atLaterCommit) {
    const later = judgeLaterRevision({ application, revision, image: options.image });
    if (later.state === "verified") return later;
    if (later.state === "failed") return { state: "failed", reason: `${after}, ${later.reason}` };
    // As during the verification: a later commit with another image (or a request naming none) answers.
    if (later.state === "superseded") return later;
    if (later.state === "unknown" && tracked !== undefined) return { state: "superseded", current: tracked };
  }
  const why =
    judgement.state === "failed"
      ? judgement.reason
      : `sync ${status?.sync?.status ?? "unknown"} at ${tracked ?? "no revision"}, health ${status?.health?.status ?? "unknown"}${status?.health?.message ? `: ${status.health.message}` : ""}`;
  return {
    state: "failed",
    reason: `${after} the application is no longer Synced and Healthy at ${revision} (${why})`,
  };
}
