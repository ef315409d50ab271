import * as z from "zod";

/** Argo CD's `status.sync.status` values. */
export const SYNC_STATUSES = ["Synced", "OutOfSync", "Unknown"] as const;

/** Argo CD's `status.health.status` values. */
export const HEALTH_STATUSES = [
  "Healthy",
  "Progressing",
  "Degraded",
  "Suspended",
  "Missing",
  "Unknown",
] as const;

/** Argo CD's `status.operationState.phase` values. */
export const OPERATION_PHASES = ["Running", "Terminating", "Failed", "Error", "Succeeded"] as const;

const health = z.looseObject({ status: z.string().optional(), message: z.string().optional() });

/** One resource of an application's `status.resources`. */
export const applicationResource = z.looseObject({
  group: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  status: z.string().optional(),
  health: health.optional(),
});

/** One resource of a sync result (`status.operationState.syncResult.resources`). */
export const syncResultResource = z.looseObject({
  group: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  status: z.string().optional(),
  message: z.string().optional(),
});

/**
 * The fields of an Argo CD `Application` (argoproj.io/v1alpha1) the agent reads, as the API
 * server returns them; every other field is kept but not checked.
 *
 * @example
 * ```ts
 * const application = argoCdApplication.parse(await response.json());
 * application.status?.sync?.revision;
 * ```
 */
export const argoCdApplication = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z
    .looseObject({
      source: z
        .looseObject({
          repoURL: z.string().optional(),
          path: z.string().optional(),
          targetRevision: z.string().optional(),
        })
        .optional(),
      syncPolicy: z.looseObject({ automated: z.looseObject({}).nullish() }).nullish(),
    })
    .optional(),
  status: z
    .looseObject({
      sync: z.looseObject({ status: z.string().optional(), revision: z.string().optional() }).optional(),
      health: health.optional(),
      operationState: z
        .looseObject({
          phase: z.string(),
          message: z.string().optional(),
          startedAt: z.string().optional(),
          finishedAt: z.string().nullish(),
          operation: z
            .looseObject({ sync: z.looseObject({ revision: z.string().optional() }).optional() })
            .optional(),
          syncResult: z
            .looseObject({
              revision: z.string().optional(),
              resources: z.array(syncResultResource).nullish(),
            })
            .nullish(),
        })
        .nullish(),
      resources: z.array(applicationResource).nullish(),
      summary: z.looseObject({ images: z.array(z.string()).nullish() }).nullish(),
    })
    .optional(),
});

/** An Argo CD Application, as far as the agent reads it. */
export type ArgoCdApplication = z.output<typeof argoCdApplication>;

/**
 * A commit's metadata as Argo CD answers
 * `GET /api/v1/applications/{name}/revisions/{revision}/metadata`.
 *
 * @example
 * ```ts
 * const metadata = revisionMetadata.parse(body); // { date: "2026-03-01T12:00:00Z", ... }
 * ```
 */
export const revisionMetadata = z.looseObject({
  author: z.string().optional(),
  date: z.string().optional(),
  message: z.string().optional(),
  tags: z.array(z.string()).nullish(),
});

/** A {@link revisionMetadata}. */
export type RevisionMetadata = z.output<typeof revisionMetadata>;

/**
 * Whether an application syncs itself (`spec.syncPolicy.automated` is set): the agent then only
 * refreshes it, since Argo CD refuses a sync to another revision than the one auto-sync tracks.
 *
 * @example
 * ```ts
 * if (!isAutoSynced(application)) await argocd.syncApplication(name, { revision });
 * ```
 */
export function isAutoSynced(application: ArgoCdApplication): boolean {
  const automated = application.spec?.syncPolicy?.automated;
  return automated !== undefined && automated !== null;
}
