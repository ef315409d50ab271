import type { ArgoCdApplication } from "./argocd-application.js";

/** A resource that keeps an application from being healthy, as `Deployment Failed` lists it. */
export interface FailingResource {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly health?: string;
  readonly message?: string;
}

const NOT_HEALTHY = new Set(["Degraded", "Missing", "Progressing", "Unknown", "Suspended"]);

/**
 * The resources of an application that are not healthy (`status.resources` whose health is not
 * `Healthy`) or that its last sync did not apply (`syncResult.resources` with `SyncFailed`), each
 * once, with the health status and message Argo CD gives.
 *
 * @example
 * ```ts
 * failingResources(application); // [{ kind: "Deployment", name: "web", health: "Degraded", message: "..." }]
 * ```
 */
export function failingResources(application: ArgoCdApplication): FailingResource[] {
  const found = new Map<string, FailingResource>();
  const keyOf = (resource: { kind: string; name: string; namespace?: string | undefined }) =>
    `${resource.kind}/${resource.namespace ?? ""}/${resource.name}`;
  for (const resource of application.status?.operationState?.syncResult?.resources ?? []) {
    if (resource.status !== "SyncFailed") continue;
    found.set(keyOf(resource), {
      kind: resource.kind,
      name: resource.name,
      ...(resource.namespace ? { namespace: resource.namespace } : {}),
      health: "SyncFailed",
      ...(resource.message ? { message: resource.message } : {}),
    });
  }
  for (const resource of application.status?.resources ?? []) {
    const health = resource.health?.status;
    if (health === undefined || !NOT_HEALTHY.has(health) || found.has(keyOf(resource))) continue;
    found.set(keyOf(resource), {
      kind: resource.kind,
      name: resource.name,
      ...(resource.namespace ? { namespace: resource.namespace } : {}),
      health,
      ...(resource.health?.message ? { message: resource.health.message } : {}),
    });
  }
  return [...found.values()];
}

/**
 * The failing resources with a failed canary's Rollout (`namespace/name`, as the canary's progress
 * names it) Degraded with its reason. The Rollout was read after the application, so its state is
 * the newer one: the application's resource tree may still say Progressing.
 *
 * @example
 * ```ts
 * withFailedRollout(failingResources(application), "demo/demo", "RolloutAborted: …");
 * ```
 */
export function withFailedRollout(
  resources: readonly FailingResource[],
  rollout: string,
  message: string,
): FailingResource[] {
  const slash = rollout.indexOf("/");
  const namespace = slash < 0 ? undefined : rollout.slice(0, slash);
  const name = rollout.slice(slash + 1);
  const failed: FailingResource = {
    kind: "Rollout",
    name,
    ...(namespace ? { namespace } : {}),
    health: "Degraded",
    message,
  };
  const others = resources.filter(
    (resource) =>
      !(
        resource.kind === "Rollout" &&
        resource.name === name &&
        (resource.namespace ?? namespace) === namespace
      ),
  );
  return [...others, failed];
}
