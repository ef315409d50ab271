import { ArgoCdClient } from "../adapters/argocd/argocd-client.js";
import { KubernetesArgoCdClient } from "../adapters/argocd/kubernetes-argocd-client.js";
import type { ArgoCdApi } from "../core/agent/argocd-api.js";
import type { RolloutsApi } from "../core/agent/rollouts-api.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import type { ArgoCdConnection } from "./agent-environment.js";

/** Options of {@link createArgoCdAdapter}. */
export interface CreateArgoCdAdapterOptions {
  readonly connection: ArgoCdConnection;
  /** Reads a file (node:fs/promises `readFile` in the agent; a map of contents in tests). */
  readonly readFile: (path: string) => Promise<Buffer>;
}

/**
 * The agent's {@link ArgoCdApi} for its connection mode: in `kubernetes` mode the Kubernetes API
 * with the pod's ServiceAccount (the CA is read once here; the token on every request, since the
 * kubelet rotates it), in `api-token` mode Argo CD's API with the token file (re-read on every
 * request). The same client reads and promotes the Argo Rollouts the applications manage. A missing CA is a `CONFIG_INVALID` naming the fix.
 *
 * @example
 * ```ts
 * const argocd = await createArgoCdAdapter({ connection: environment.argocd, readFile });
 * ```
 */
export async function createArgoCdAdapter(
  options: CreateArgoCdAdapterOptions,
): Promise<ArgoCdApi & RolloutsApi> {
  const { connection, readFile } = options;
  const token = async (file: string) => (await readFile(file)).toString("utf8");
  if (connection.mode === "api-token") {
    return new ArgoCdClient({
      baseUrl: connection.url,
      token: () => token(connection.tokenFile),
      insecure: connection.insecure,
    });
  }
  let ca: Buffer;
  try {
    ca = await readFile(connection.caFile);
  } catch (error) {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `the cluster's CA ${connection.caFile} cannot be read (${error instanceof Error ? error.message : String(error)}); the agent's pod needs automountServiceAccountToken: true (the chart's default)`,
      data: { caFile: connection.caFile },
      cause: error,
    });
  }
  return new KubernetesArgoCdClient({
    server: connection.apiServer,
    token: () => token(connection.tokenFile),
    ca,
    namespace: connection.namespace,
  });
}
