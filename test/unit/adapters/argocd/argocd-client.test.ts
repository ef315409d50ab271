import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { ArgoCdClient } from "../../../../functions/adapters/argocd/argocd-client.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { readFixture, readFixtureBytes } from "../../../read-fixture.js";

const APPLICATION = readFixtureBytes("argocd/application.synced-healthy.json").toString("utf8");
const SYNC_REQUEST = z
  .object({ sync: z.object({ body: z.object({ revision: z.string() }), bodyFields: z.array(z.string()) }) })
  .parse(readFixture("argocd/application-sync-request.json")).sync;
const TOKEN = "token-for-tests";

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let server: Server | undefined;

/** An Argo CD API server replaying one answer, recording what it was asked. */
async function replay(status: number, body: string): Promise<{ url: string; seen: Seen[] }> {
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
      response.writeHead(status, { "content-type": "application/json" }).end(body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, seen };
}

function client(url: string): ArgoCdClient {
  return new ArgoCdClient({ baseUrl: url, token: async () => `${TOKEN}\n`, timeoutMs: 2000 });
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe("ArgoCdClient", () => {
  it("reads an Application with a refresh, sending the bearer token", async () => {
    // Arrange
    const { url, seen } = await replay(200, APPLICATION);
    const revision = "20f38a548a5c363f7be9b3dba994774efa6aa47c";

    // Act
    const application = await client(url).getApplication("web-staging", { refresh: "normal" });

    // Assert
    expect(application.metadata.name).toBe("web-staging");
    expect(application.status?.sync).toMatchObject({ status: "Synced", revision });
    expect(application.status?.health?.status).toBe("Healthy");
    expect(application.status?.operationState?.phase).toBe("Succeeded");
    expect(application.status?.operationState?.syncResult?.revision).toBe(revision);
    expect(seen[0]).toMatchObject({ method: "GET", url: "/api/v1/applications/web-staging?refresh=normal" });
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("asks for a sync to the exact revision with the fields of Argo CD's sync request", async () => {
    // Arrange
    const { url, seen } = await replay(200, APPLICATION);
    const revision = SYNC_REQUEST.body.revision;

    // Act
    await client(url).syncApplication("argocd/web-prod", { revision });

    // Assert
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/api/v1/applications/web-prod/sync?appNamespace=argocd",
    });
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(seen[0]?.body ?? "{}");
    expect(body).toMatchObject({
      name: "web-prod",
      revision,
      prune: false,
      dryRun: false,
      strategy: { hook: {} },
      appNamespace: "argocd",
    });
    for (const field of Object.keys(body)) {
      expect(SYNC_REQUEST.bodyFields).toContain(field);
    }
  });

  it("tells a sync refused because another operation runs apart, as retryable", async () => {
    // Arrange
    const { url } = await replay(
      400,
      JSON.stringify({
        error: "another operation is already in progress",
        code: 9,
        message: "another operation is already in progress",
      }),
    );

    // Act
    const error = await client(url)
      .syncApplication("web", { revision: "a".repeat(40) })
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "ARGOCD_OPERATION_IN_PROGRESS", retryable: true });
  });

  it("reports a missing application as permanent and an unauthorised token as retryable, never echoing the token", async () => {
    // Arrange
    const missing = await replay(
      404,
      JSON.stringify({
        error: 'applications.argoproj.io "web" not found',
        code: 5,
        message: 'applications.argoproj.io "web" not found',
      }),
    );

    // Act
    const notFound = await client(missing.url)
      .getApplication("web")
      .catch((caught: unknown) => caught);
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const denied = await replay(
      401,
      JSON.stringify({ error: "no session information", code: 16, message: "no session information" }),
    );
    const unauthorised = await client(denied.url)
      .getApplication("web")
      .catch((caught: unknown) => caught);

    // Assert
    expect(notFound).toMatchObject({ code: "ARGOCD_APPLICATION_NOT_FOUND", retryable: false });
    expect(unauthorised).toMatchObject({ code: "ARGOCD_UNAUTHORIZED", retryable: true });
    expect(String(unauthorised)).not.toContain(TOKEN);
  });

  it("reports an Argo CD that does not answer as unreachable and retryable", async () => {
    // Arrange
    const { url } = await replay(200, APPLICATION);
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

  it("refuses an answer that is not an Application", async () => {
    // Arrange
    const { url } = await replay(200, JSON.stringify({ hello: "world" }));

    // Act
    const error = await client(url)
      .getApplication("web")
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "ARGOCD_RESPONSE_INVALID", retryable: false });
  });
});
