import type { ApplicationManifest } from "./application-manifest.js";
import type { CanaryRollout } from "./canary-rollout.js";
import type { WorkloadProcess } from "./workload-process.js";

/** One sync operation, as `status.operationState` shows it. */
export interface OperationRecord {
  phase: "Running" | "Succeeded" | "Failed" | "Error";
  message: string;
  readonly revision: string;
  readonly startedAt: string;
  finishedAt?: string;
  /** `syncResult.resources[].status` of the workload: `Synced` or `SyncFailed`. */
  resourceStatus?: "Synced" | "SyncFailed";
}

/** A workload that serves (or tried to): its process and unpacked image. */
export interface ServingWorkload {
  readonly revision: string;
  readonly reference: string;
  readonly process: WorkloadProcess;
  readonly dir: string;
}

/** What the stand-in knows of one Application; {@link renderApplication} turns it into Argo CD's JSON. */
export interface ApplicationState {
  manifest: ApplicationManifest;
  /** The revision compared to: the branch head at the last refresh, or the revision last synced to. */
  syncRevision?: string;
  /**
   * The image the Application renders at `syncRevision` (what a sync there would deploy), or
   * undefined when it cannot be rendered there.
   */
  comparedImage?: string;
  /** The revision the last successful sync applied. */
  deployedRevision?: string;
  health: { status: "Healthy" | "Progressing" | "Suspended" | "Degraded" | "Missing"; message?: string };
  operation?: OperationRecord;
  /** The image of the deployed revision. */
  image?: string;
  sourceType?: "Helm" | "Kustomize";
  history: { id: number; revision: string; deployStartedAt: string; deployedAt: string }[];
  reconciledAt?: string;
  /** The workload that serves now: it keeps serving until a new one is ready. */
  serving?: ServingWorkload;
  /** The Argo Rollouts `Rollout` the deployed revision renders, when it renders one. */
  rollout?: CanaryRollout;
}

/**
 * Whether an application is `Synced`, compared as Argo CD compares: what it renders at the
 * revision it is compared to equals what it deployed, whatever other commits (another app's file
 * in a shared config repository) brought to the branch meanwhile.
 *
 * @example
 * ```ts
 * const status = isSynced(state) ? "Synced" : "OutOfSync";
 * ```
 */
export function isSynced(state: ApplicationState): boolean {
  return (
    state.syncRevision !== undefined &&
    state.deployedRevision !== undefined &&
    state.comparedImage !== undefined &&
    state.comparedImage === state.image
  );
}

/** The Kubernetes resource the stand-in reports for an application's workload: its Rollout, or a Deployment. */
function workloadResource(state: ApplicationState) {
  if (state.rollout !== undefined) {
    return {
      group: "argoproj.io",
      version: "v1alpha1",
      kind: "Rollout",
      namespace: state.rollout.namespace,
      name: state.rollout.name,
    };
  }
  return {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    namespace: state.manifest.spec.destination.namespace ?? "default",
    name: state.manifest.metadata.name,
  };
}

/**
 * An application's state as Argo CD's API returns an `Application`: the manifest's metadata and
 * spec, and `status` with `sync` (`status` per {@link isSynced}, `revision`, `comparedTo`), `health`, `operationState`
 * (`phase`, `message`, `operation.sync.revision`, `syncResult`), `resources`, `summary.images`,
 * `history`, `reconciledAt` and `sourceType`.
 *
 * @example
 * ```ts
 * response.end(JSON.stringify(renderApplication(state)));
 * ```
 */
export function renderApplication(state: ApplicationState): Record<string, unknown> {
  const { manifest } = state;
  const synced = isSynced(state);
  const resource = workloadResource(state);
  const operation = state.operation;
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { ...manifest.metadata, namespace: manifest.metadata.namespace ?? "argocd" },
    spec: manifest.spec,
    status: {
      sync: {
        status: state.syncRevision === undefined ? "Unknown" : synced ? "Synced" : "OutOfSync",
        ...(state.syncRevision === undefined ? {} : { revision: state.syncRevision }),
        comparedTo: { source: manifest.spec.source, destination: manifest.spec.destination },
      },
      health: { ...state.health },
      ...(operation === undefined
        ? {}
        : {
            operationState: {
              operation: {
                initiatedBy: { username: "admin" },
                sync: { revision: operation.revision, syncStrategy: { hook: {} } },
              },
              phase: operation.phase,
              message: operation.message,
              startedAt: operation.startedAt,
              ...(operation.finishedAt === undefined ? {} : { finishedAt: operation.finishedAt }),
              ...(operation.resourceStatus === undefined
                ? {}
                : {
                    syncResult: {
                      revision: operation.revision,
                      source: manifest.spec.source,
                      resources: [
                        {
                          ...resource,
                          status: operation.resourceStatus,
                          message:
                            operation.resourceStatus === "Synced"
                              ? `deployment.apps/${resource.name} configured`
                              : operation.message,
                          hookPhase: operation.phase === "Running" ? "Running" : operation.phase,
                          syncPhase: "Sync",
                        },
                      ],
                    },
                  }),
            },
          }),
      resources:
        state.deployedRevision === undefined && state.image === undefined
          ? []
          : [{ ...resource, status: synced ? "Synced" : "OutOfSync", health: { ...state.health } }],
      summary: state.image === undefined ? {} : { images: [state.image] },
      history: state.history.map((entry) => ({ ...entry, source: manifest.spec.source })),
      ...(state.reconciledAt === undefined ? {} : { reconciledAt: state.reconciledAt }),
      ...(state.sourceType === undefined ? {} : { sourceType: state.sourceType }),
      controllerNamespace: "argocd",
    },
  };
}
