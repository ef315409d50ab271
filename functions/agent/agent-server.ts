import { createServer, type Server } from "node:http";
import { ShiplineError } from "../core/errors/shipline-error.js";
import type { AgentMetrics } from "./agent-metrics.js";

/** Options of {@link startAgentServer}. */
export interface AgentServerOptions {
  /** Liveness of the agent (see `SyncAgent.health`). */
  readonly health: () => { readonly live: boolean; readonly lastPollAt?: Date; readonly inFlight: number };
  readonly metrics: AgentMetrics;
  /** @default "0.0.0.0" - reachable by the kubelet's probes and Prometheus */
  readonly host?: string;
  /** @default 8080 (0: a free port) */
  readonly port?: number;
}

/** A running agent server. */
export interface AgentServer {
  /** `http://<host>:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The agent's HTTP endpoint for Kubernetes and Prometheus: `GET /healthz` answers 200 with the
 * agent's state while it polls its queue, 503 once it stops or stalls (so the kubelet restarts a
 * stuck agent); `GET /metrics` answers the metrics in Prometheus' text format. Nothing else is
 * served: the agent needs no inbound endpoint for its work.
 *
 * @example
 * ```ts
 * const server = await startAgentServer({ health: () => agent.health(), metrics, port: 8080 });
 * ```
 */
export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://agent").pathname;
    if (request.method !== "GET" && request.method !== "HEAD") {
      response
        .writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" })
        .end("method not allowed\n");
      return;
    }
    if (path === "/healthz") {
      const health = options.health();
      response.writeHead(health.live ? 200 : 503, { "content-type": "application/json" }).end(
        JSON.stringify({
          status: health.live ? "ok" : "unavailable",
          lastPollAt: health.lastPollAt?.toISOString(),
          inFlight: health.inFlight,
        }),
      );
      return;
    }
    if (path === "/metrics") {
      response
        .writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" })
        .end(options.metrics.render());
      return;
    }
    response
      .writeHead(404, { "content-type": "text/plain" })
      .end("not found: the agent serves /healthz and /metrics\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, options.host ?? "0.0.0.0", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new ShiplineError({
      code: "AGENT_LISTEN_FAILED",
      message: `the agent server listens on '${String(address)}', not on a TCP port; give it a port`,
    });
  }
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
