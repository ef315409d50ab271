import { createServer } from "node:http";
import * as z from "zod";
import { ArgoCdClient } from "../../functions/adapters/argocd/argocd-client.js";
import { KubernetesArgoCdClient } from "../../functions/adapters/argocd/kubernetes-argocd-client.js";
import type { ArgoCdApi } from "../../functions/core/agent/argocd-api.js";
import { argoCdApplication } from "../../functions/core/agent/argocd-application.js";
import { judgeApplication } from "../../functions/core/agent/judge-application.js";
import { checked, differences, mismatch, type Outcome, ok } from "./outcome.js";
import type { SampleStore } from "./sample-store.js";

const APPLICATION = "fixtures/argocd/argocd-application.synced-healthy.argo-cd-testdata.json";
const REQUESTS = "fixtures/argocd/argocd-api.requests.json";

const apiRequests = z.object({
  sync: z.object({
    path: z.string(),
    body: z.object({ revision: z.string() }).loose(),
    bodyFields: z.array(z.string()),
  }),
  refresh: z.object({ path: z.string() }),
});

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}

/** The agent's two Argo CD adapters, on a local server's URL. */
const ADAPTERS = {
  "Argo CD API client": (url: string): ArgoCdApi =>
    new ArgoCdClient({ baseUrl: url, token: async () => "conformance" }),
  "Kubernetes API client": (url: string): ArgoCdApi =>
    new KubernetesArgoCdClient({ server: url, token: async () => "conformance" }),
} as const;

/**
 * Reads a real Application through each of the agent's Argo CD adapters (Argo CD's API, the
 * Kubernetes API) and judges it as the agent does, and checks the API client's sync and refresh
 * requests against Argo CD's API.
 */
export async function checkArgoCdSamples(samples: SampleStore): Promise<Outcome[]> {
  const application = samples.bytes(APPLICATION).toString("utf8");
  return [
    await checked(APPLICATION, () => readAndJudge(application, "Argo CD API client")),
    await checked(APPLICATION, () => readAndJudge(application, "Kubernetes API client")),
    await checked(REQUESTS, () => syncRequest(samples.json(REQUESTS), application)),
  ];
}

async function readAndJudge(text: string, adapter: keyof typeof ADAPTERS): Promise<Outcome> {
  const expected = argoCdApplication.parse(JSON.parse(text));
  const status = expected.status;
  const revision = status?.sync?.revision ?? "";
  // The Kubernetes client reads the refresh annotation of the sample, which has none: no waiting.
  const { result: read } = await replaying(
    text,
    (client) => client.getApplication(expected.metadata.name, { refresh: "normal" }),
    ADAPTERS[adapter],
  );
  const judgement = judgeApplication({ application: read, revision });
  // Argo CD's documented meaning: Synced and Healthy at the revision, with no operation running.
  const settled =
    status?.sync?.status === "Synced" &&
    status.health?.status === "Healthy" &&
    !["Running", "Terminating"].includes(status.operationState?.phase ?? "");
  const problems = differences(
    { name: expected.metadata.name, state: settled ? "verified" : "waiting" },
    { name: read.metadata.name, state: judgement.state },
  );
  return problems.length > 0
    ? mismatch(APPLICATION, problems.join("; "))
    : ok(
        APPLICATION,
        `the ${adapter} reads the Application and the agent judges it ${judgement.state} at ${revision}`,
      );
}

async function syncRequest(sample: unknown, application: string): Promise<Outcome> {
  const api = apiRequests.parse(sample);
  const revision = api.sync.body.revision;
  const { seen } = await replaying(application, async (client) => {
    await client.syncApplication("argocd/web", { revision });
    await client.getApplication("web", { refresh: "hard" });
  });
  const [sync, refresh] = seen;
  const body = z.record(z.string(), z.unknown()).parse(JSON.parse(sync?.body ?? "{}"));
  const unknownFields = Object.keys(body).filter(
    (field) => !api.sync.bodyFields.some((known) => known.startsWith(field)),
  );
  const problems = differences(
    {
      sync: `POST ${api.sync.path.replace("{name}", "web")}`,
      revision,
      unknownFields: [],
      refresh: `GET ${api.refresh.path.replace("{name}", "web")}`,
    },
    {
      sync: `${sync?.method} ${sync?.url.split("?")[0]}`,
      revision: body.revision,
      unknownFields,
      refresh: `${refresh?.method} ${refresh?.url}`,
    },
  );
  return problems.length > 0
    ? mismatch(REQUESTS, problems.join("; "))
    : ok(
        REQUESTS,
        "the sync request uses only fields of Argo CD's ApplicationSyncRequest; refresh asks as documented",
      );
}

/** Runs `use` against a local Argo CD API that answers every request with `body`, recording them. */
async function replaying<T>(
  body: string,
  use: (client: ArgoCdApi) => Promise<T>,
  adapter: (url: string) => ArgoCdApi = ADAPTERS["Argo CD API client"],
): Promise<{ result: T; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(200, { "content-type": "application/json" }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  try {
    return { result: await use(adapter(`http://127.0.0.1:${port}`)), seen };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
