import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import {
  KubernetesArgoCdClient,
  REFRESH_ANNOTATION,
} from "../../../../functions/adapters/argocd/kubernetes-argocd-client.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { readFixtureBytes } from "../../../read-fixture.js";

const SYNCED = readFixtureBytes("argocd/application.synced-healthy.json").toString("utf8");
const RUNNING = readFixtureBytes("argocd/application.operation-running.json").toString("utf8");
const TOKEN = "projected-token-for-tests";
const REVISION = "9d3f1c5a7e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f";

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let server: Server | undefined;

/** A Kubernetes API server answering with `answers` in turn (the last one repeats), recording requests. */
async function replay(...answers: [number, string][]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const [status, body] = answers[Math.min(seen.length, answers.length) - 1] ?? [500, ""];
      response.writeHead(status, { "content-type": "application/json" }).end(body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, seen };
}

function client(
  url: string,
  token: () => Promise<string> = async () => `${TOKEN}\n`,
): KubernetesArgoCdClient {
  return new KubernetesArgoCdClient({ server: url, token, timeoutMs: 2000, refreshPollMs: 10 });
}

/** A Kubernetes `Status` body, as the API server answers errors. */
function status(code: number, reason: string, message: string): string {
  return JSON.stringify({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  });
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe("KubernetesArgoCdClient", () => {
  it("reads an Application from Argo CD's namespace with the ServiceAccount token, read again for every request", async () => {
    // Arrange
    const { url, seen } = await replay([200, SYNCED]);
    const tokens = ["first-token", "rotated-token"];
    const argocd = client(url, async () => tokens.shift() ?? "");

    // Act
    const application = await argocd.getApplication("web-staging");
    await argocd.getApplication("web-staging");

    // Assert
    expect(application.metadata.name).toBe("web-staging");
    expect(application.status?.sync).toMatchObject({
      status: "Synced",
      revision: "20f38a548a5c363f7be9b3dba994774efa6aa47c",
    });
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/web-staging",
      "GET /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/web-staging",
    ]);
    expect(seen.map((request) => request.headers.authorization)).toEqual([
      "Bearer first-token",
      "Bearer rotated-token",
    ]);
  });

  it("parses a real Application whose sync operation the agent set and which is still running", async () => {
    // Arrange
    const { url } = await replay([200, RUNNING]);

    // Act
    const application = await client(url).getApplication("billing-production");

    // Assert
    expect(application.status?.operationState).toMatchObject({
      phase: "Running",
      operation: { sync: { revision: "7c1e0b9a3d5f2e4c6a8b0d1f3e5a7c9b2d4f6e8a" } },
      syncResult: { revision: "7c1e0b9a3d5f2e4c6a8b0d1f3e5a7c9b2d4f6e8a" },
    });
    expect(application.status?.health?.status).toBe("Progressing");
    expect(application.status?.summary?.images).toEqual([
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/billing:1.14.0-7c1e0b9",
    ]);
  });

  it("refreshes with a merge patch of the refresh annotation and reads until the controller has taken it off", async () => {
    // Arrange
    const { url, seen } = await replay([200, RUNNING], [200, RUNNING], [200, SYNCED]);

    // Act
    const application = await client(url).getApplication("web-staging", { refresh: "normal" });

    // Assert
    expect(application.metadata.name).toBe("web-staging");
    expect(seen.map((request) => request.method)).toEqual(["PATCH", "GET", "GET"]);
    expect(seen[0]?.headers["content-type"]).toBe("application/merge-patch+json");
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({
      metadata: { annotations: { [REFRESH_ANNOTATION]: "normal" } },
    });
  });

  it("answers the last read when the controller does not take the refresh annotation off in time", async () => {
    // Arrange
    const { url, seen } = await replay([200, RUNNING]);
    const argocd = new KubernetesArgoCdClient({
      server: url,
      token: async () => TOKEN,
      refreshWaitMs: 50,
      refreshPollMs: 10,
    });

    // Act
    const application = await argocd.getApplication("billing-production", { refresh: "hard" });

    // Assert
    expect(application.metadata.name).toBe("billing-production");
    expect(seen.length).toBeGreaterThan(1);
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({
      metadata: { annotations: { [REFRESH_ANNOTATION]: "hard" } },
    });
  });

  it("syncs by setting the Application's operation to the revision with a merge patch conditional on the version read, in the namespace the name gives", async () => {
    // Arrange
    const { url, seen } = await replay([200, SYNCED]);

    // Act
    await client(url).syncApplication("apps-team/web-prod", { revision: REVISION });

    // Assert
    const path = "/apis/argoproj.io/v1alpha1/namespaces/apps-team/applications/web-prod";
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET ${path}`,
      `PATCH ${path}`,
    ]);
    expect(seen[1]?.headers["content-type"]).toBe("application/merge-patch+json");
    expect(JSON.parse(seen[1]?.body ?? "")).toEqual({
      metadata: { resourceVersion: "3187452" },
      operation: {
        initiatedBy: { username: "shipline-agent" },
        sync: { revision: REVISION, prune: false, syncStrategy: { hook: {} } },
      },
    });
  });

  it("refuses to sync while an operation runs, as retryable ARGOCD_OPERATION_IN_PROGRESS, and writes nothing", async () => {
    // Arrange
    const { url, seen } = await replay([200, RUNNING]);

    // Act
    const error = await client(url)
      .syncApplication("billing-production", { revision: REVISION })
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "ARGOCD_OPERATION_IN_PROGRESS", retryable: true });
    expect(seen.map((request) => request.method)).toEqual(["GET"]);
  });

  it("refuses to sync while an operation is set but not yet started by the controller", async () => {
    // Arrange
    const pending = {
      ...z.looseObject({}).parse(JSON.parse(SYNCED)),
      operation: { initiatedBy: { username: "someone" }, sync: { revision: "main" } },
    };
    const { url, seen } = await replay([200, JSON.stringify(pending)]);

    // Act
    const error = await client(url)
      .syncApplication("web-staging", { revision: REVISION })
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "ARGOCD_OPERATION_IN_PROGRESS", retryable: true });
    expect(seen).toHaveLength(1);
  });

  it.each([
    [404, "NotFound", "ARGOCD_APPLICATION_NOT_FOUND", false],
    [401, "Unauthorized", "ARGOCD_UNAUTHORIZED", true],
    [403, "Forbidden", "ARGOCD_UNAUTHORIZED", true],
    [409, "Conflict", "ARGOCD_OPERATION_IN_PROGRESS", true],
    [429, "TooManyRequests", "ARGOCD_UNREACHABLE", true],
    [500, "InternalError", "ARGOCD_UNREACHABLE", true],
    [503, "ServiceUnavailable", "ARGOCD_UNREACHABLE", true],
    [422, "Invalid", "ARGOCD_REQUEST_REJECTED", false],
  ])("maps a %i (%s) answer to %s (retryable %s)", async (code, reason, expected, retryable) => {
    // Arrange
    const { url } = await replay([code, status(code, reason, `applications.argoproj.io "web" ${reason}`)]);

    // Act
    const error = await client(url)
      .getApplication("web")
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: expected, retryable });
    expect(error instanceof Error ? error.message : "").toContain(reason);
    expect(error instanceof Error ? error.message : "").not.toContain(TOKEN);
  });

  it("names the Role to check when the ServiceAccount may not read Applications", async () => {
    // Arrange
    const { url } = await replay([
      403,
      status(
        403,
        "Forbidden",
        'applications.argoproj.io "web" is forbidden: User "system:serviceaccount:shipline:shipline-agent" cannot get resource "applications"',
      ),
    ]);

    // Act
    const error = await client(url)
      .getApplication("web")
      .catch((caught: unknown) => caught);

    // Assert
    expect(error instanceof Error ? error.message : "").toContain(
      "applications.argoproj.io in namespace 'argocd'",
    );
  });

  it("tells an unreachable API server apart as retryable ARGOCD_UNREACHABLE", async () => {
    // Arrange
    const { url } = await replay([200, SYNCED]);
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;

    // Act
    const error = await client(url)
      .getApplication("web")
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "ARGOCD_UNREACHABLE", retryable: true });
  });

  it("refuses an answer that is not an Application as permanent ARGOCD_RESPONSE_INVALID", async () => {
    // Arrange
    const { url } = await replay([200, JSON.stringify({ kind: "APIResourceList", resources: [] })]);

    // Act
    const error = await client(url)
      .getApplication("web")
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "ARGOCD_RESPONSE_INVALID", retryable: false });
  });

  it("answers a revision's metadata as unknown with a permanent error, asking nothing", async () => {
    // Arrange
    const { url, seen } = await replay([200, SYNCED]);

    // Act
    const error = await client(url)
      .revisionMetadata("web", REVISION)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "ARGOCD_REQUEST_REJECTED", retryable: false });
    expect(seen).toHaveLength(0);
  });

  it("refuses an API server URL carrying credentials", () => {
    // Act
    const create = () =>
      new KubernetesArgoCdClient({ server: "https://user:secret@10.0.0.1", token: async () => TOKEN });

    // Assert
    expect(create).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
  });
});
