import type { ArgoCdApplication, RevisionMetadata } from "./argocd-application.js";

/** How hard Argo CD re-reads an application's sources: `normal` re-resolves the revision, `hard` also drops the manifest cache. */
export type RefreshMode = "normal" | "hard";

/**
 * Port for the part of Argo CD's REST API the agent uses: Argo CD's own API server in the cluster,
 * the local stand-in on one machine. An application name may carry its namespace as
 * `<namespace>/<name>` (apps in any namespace).
 *
 * Implementations throw ShiplineErrors: `ARGOCD_UNREACHABLE` (retryable: network errors, time-outs,
 * 5xx), `ARGOCD_UNAUTHORIZED` (retryable: a token may be rotated in), `ARGOCD_OPERATION_IN_PROGRESS`
 * (retryable: another sync runs), `ARGOCD_APPLICATION_NOT_FOUND` and `ARGOCD_REQUEST_REJECTED`
 * (permanent), `ARGOCD_RESPONSE_INVALID` (permanent: the answer is not an Application).
 *
 * @example
 * ```ts
 * const application = await argocd.getApplication("demo-staging", { refresh: "normal" });
 * if (!isAutoSynced(application)) await argocd.syncApplication("demo-staging", { revision });
 * const { date } = await argocd.revisionMetadata("demo-staging", revision);
 * ```
 */
export interface ArgoCdApi {
  /** Reads an application; with `refresh`, Argo CD first re-reads its sources (the call blocks until it has). */
  getApplication(name: string, options?: { readonly refresh?: RefreshMode }): Promise<ArgoCdApplication>;
  /** Starts a sync of the application to `revision`. */
  syncApplication(name: string, options: { readonly revision: string }): Promise<void>;
  /** The metadata (author, date, message) of a revision of the application's source. */
  revisionMetadata(name: string, revision: string): Promise<RevisionMetadata>;
}
