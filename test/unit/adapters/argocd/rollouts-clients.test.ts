import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ArgoCdClient } from "../../../../functions/adapters/argocd/argocd-client.js";
import { KubernetesArgoCdClient } from "../../../../functions/adapters/argocd/kubernetes-argocd-client.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { readFixtureBytes } from "../../../read-fixture.js";

const PAUSED = readFixtureBytes("argocd/rollout.canary-paused.json").toString("utf8");
const REF = { name: "demo", namespace: "demo-staging" } as const;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

let server: Server | undefined;

/** A server answering each request with `answer(method, path)`, recording what it was asked. */
async function serve(
  answer: (method: string, path: string) => { status: number; body: string },
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = request.url ?? "";
      seen.push({
        method: request.method ?? "",
        url,
        contentType: request.headers["content-type"],
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const { status, body } = answer(request.method ?? "", new URL(url, "http://x").pathname);
      response.writeHead(status, { "content-type": "application/json" }).end(body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, seen };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe("ArgoCdClient and Argo Rollouts", () => {
  it("reads a Rollout through Argo CD's managed-resource API, parsing the manifest string", async () => {
    // Arrange
    const { url, seen } = await serve(() => ({ status: 200, body: JSON.stringify({ manifest: PAUSED }) }));
    const client = new ArgoCdClient({ baseUrl: url, token: async () => "t", timeoutMs: 2000 });

    // Act
    const rollout = await client.getRollout("demo-staging", REF);

    // Assert
    expect(rollout.status?.pauseConditions?.[0]?.reason).toBe("CanaryPauseStep");
    const asked = new URL(seen[0]?.url ?? "", url);
    expect(seen[0]?.method).toBe("GET");
    expect(asked.pathname).toBe("/api/v1/applications/demo-staging/resource");
    expect(Object.fromEntries(asked.searchParams)).toEqual({
      namespace: "demo-staging",
      resourceName: "demo",
      version: "v1alpha1",
      group: "argoproj.io",
      kind: "Rollout",
    });
  });

  it("promotes a Rollout with Argo CD's promote resource action", async () => {
    // Arrange
    const { url, seen } = await serve(() => ({ status: 200, body: "{}" }));
    const client = new ArgoCdClient({ baseUrl: url, token: async () => "t", timeoutMs: 2000 });

    // Act
    await client.promoteRollout("apps/demo-staging", REF);

    // Assert
    const asked = new URL(seen[0]?.url ?? "", url);
    expect(seen[0]?.method).toBe("POST");
    expect(asked.pathname).toBe("/api/v1/applications/demo-staging/resource/actions");
    expect(asked.searchParams.get("appNamespace")).toBe("apps");
    expect(asked.searchParams.get("kind")).toBe("Rollout");
    expect(JSON.parse(seen[0]?.body ?? "")).toBe("promote");
  });

  it("names the missing Rollout when Argo CD answers 404", async () => {
    // Arrange
    const { url } = await serve(() => ({
      status: 404,
      body: JSON.stringify({ message: "not found", code: 5 }),
    }));
    const client = new ArgoCdClient({ baseUrl: url, token: async () => "t", timeoutMs: 2000 });

    // Act
    const error = await client.getRollout("demo-staging", REF).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "ARGOCD_APPLICATION_NOT_FOUND", retryable: false });
    expect(messageOf(error)).toContain("does not manage a Rollout 'demo' in namespace 'demo-staging'");
  });
});

describe("KubernetesArgoCdClient and Argo Rollouts", () => {
  it("reads a Rollout from the Kubernetes API", async () => {
    // Arrange
    const { url, seen } = await serve(() => ({ status: 200, body: PAUSED }));
    const client = new KubernetesArgoCdClient({
      server: url,
      token: async () => "sa-token",
      timeoutMs: 2000,
    });

    // Act
    const rollout = await client.getRollout("demo-staging", REF);

    // Assert
    expect(rollout.status?.currentStepIndex).toBe(1);
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /apis/argoproj.io/v1alpha1/namespaces/demo-staging/rollouts/demo",
    ]);
  });

  it("promotes as kubectl argo rollouts promote does: clears the pause conditions on the status subresource", async () => {
    // Arrange
    const { url, seen } = await serve(() => ({ status: 200, body: PAUSED }));
    const client = new KubernetesArgoCdClient({
      server: url,
      token: async () => "sa-token",
      timeoutMs: 2000,
    });

    // Act
    await client.promoteRollout("demo-staging", REF);

    // Assert
    const patches = seen.filter((request) => request.method === "PATCH");
    expect(patches.map((request) => [request.url, request.contentType, JSON.parse(request.body)])).toEqual([
      [
        "/apis/argoproj.io/v1alpha1/namespaces/demo-staging/rollouts/demo/status",
        "application/merge-patch+json",
        { status: { pauseConditions: null } },
      ],
    ]);
  });

  it("also unpauses the spec of a Rollout a person paused", async () => {
    // Arrange
    const paused = JSON.parse(PAUSED);
    const userPaused = JSON.stringify({
      ...paused,
      spec: { ...paused.spec, paused: true },
      status: { ...paused.status, pauseConditions: null },
    });
    const { url, seen } = await serve(() => ({ status: 200, body: userPaused }));
    const client = new KubernetesArgoCdClient({
      server: url,
      token: async () => "sa-token",
      timeoutMs: 2000,
    });

    // Act
    await client.promoteRollout("demo-staging", REF);

    // Assert
    const patches = seen.filter((request) => request.method === "PATCH");
    expect(patches.map((request) => [request.url, JSON.parse(request.body)])).toEqual([
      ["/apis/argoproj.io/v1alpha1/namespaces/demo-staging/rollouts/demo", { spec: { paused: false } }],
    ]);
  });

  it("says which RBAC the agent lacks when the API server refuses the Rollout", async () => {
    // Arrange
    const { url } = await serve(() => ({
      status: 403,
      body: JSON.stringify({ kind: "Status", message: "forbidden" }),
    }));
    const client = new KubernetesArgoCdClient({
      server: url,
      token: async () => "sa-token",
      timeoutMs: 2000,
    });

    // Act
    const error = await client.getRollout("demo-staging", REF).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "ARGOCD_UNAUTHORIZED", retryable: true });
    expect(messageOf(error)).toContain("get and patch on rollouts.argoproj.io and rollouts/status");
    expect(messageOf(error)).not.toContain("sa-token");
  });
});
