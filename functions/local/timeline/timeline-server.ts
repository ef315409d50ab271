import { randomBytes, randomUUID } from "node:crypto";
import { unwatchFile, watchFile } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod";
import type { LocalEventBus } from "../../adapters/local/local-event-bus.js";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { LedgerReader } from "../../core/ledger/ledger-reader.js";
import type { DocumentStore } from "../../core/ports/document-store.js";
import type { RuleDefinition } from "../../core/topology/rule-definition.js";
import { busLayout } from "../bus/bus-layout.js";
import { EventArchive } from "../bus/event-archive.js";
import { JsonLinesFile } from "../bus/json-lines-file.js";
import { TimelineData } from "./timeline-data.js";
import { timelinePage } from "./timeline-page.js";

/** Options of {@link startTimelineServer}. */
export interface TimelineServerOptions {
  /** The runtime's data directory: the archive is `<data-dir>/bus/archive.jsonl`; build logs under it are served. */
  readonly dataDir: string;
  /** The running bus: its events reach the page live. @default - the archive file is watched instead */
  readonly bus?: LocalEventBus;
  /** The store holding the ledger: used once the ledger has recorded an app. @default - the archive only */
  readonly store?: DocumentStore;
  /** The config repository's URL, to link config commits. @default - config commits are shown, not linked */
  readonly configRepoUrl?: string;
  /** @default 0 - a free port */
  readonly port?: number;
  /** How often the archive file is checked when there is no bus, in milliseconds. @default 250 */
  readonly pollMs?: number;
  /** The time journeys under way are judged by (stuck past a step's deadline). @default - the system clock */
  readonly now?: () => Date;
}

/** A running timeline server. */
export interface TimelineServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Ends every live stream and stops the server. */
  close(): Promise<void>;
}

const eventFacts = z.object({
  app: z.string().nullable().optional().catch(undefined),
  commit: z.string().nullable().optional().catch(undefined),
});

/**
 * Serves the local timeline of journeys on 127.0.0.1:
 * - `GET /`: the page (inline styles and script, no external asset);
 * - `GET /api/apps`: every app with its recent commits and how each stands;
 * - `GET /api/journeys/<app>/<commit>`: one commit's journey as a timeline (404 when unknown);
 * - `GET /api/stream`: Server-Sent Events, one `message` per new event (`{ detailType, app, commit }`);
 * - `GET /files/<path>`: a build log under the data directory (the page's `file:` log links point here).
 * Data come from the ledger when it has recorded apps, else from the bus archive.
 *
 * @example
 * ```ts
 * const timeline = await startTimelineServer({ dataDir: ".shipline", bus: platform.bus, store: platform.store });
 * console.log(`journeys: ${timeline.url}`);
 * await timeline.close();
 * ```
 */
export async function startTimelineServer(options: TimelineServerOptions): Promise<TimelineServer> {
  const dataDir = path.resolve(options.dataDir);
  const archivePath = busLayout(dataDir).archive;
  const archive = options.bus?.archive ?? new EventArchive(new JsonLinesFile(archivePath));
  const data = new TimelineData({
    events: async () => (await archive.read()).map((record) => record.event),
    ...(options.store === undefined ? {} : { ledger: new LedgerReader({ store: options.store }) }),
    ...(options.configRepoUrl === undefined ? {} : { configRepoUrl: options.configRepoUrl }),
    logUrl: (url) => servedLogUrl(url, dataDir),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const streams = new Set<ServerResponse>();
  const broadcast = (payload: unknown) => {
    const frame = `data: ${JSON.stringify(payload)}\n\n`;
    for (const stream of streams) stream.write(frame);
  };

  const server = createServer((request, response) => {
    route({ request, response, data, dataDir, streams }).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: errorText(error) });
      else response.end();
    });
  });
  await new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, "127.0.0.1", () => ready());
  });
  const { port } = server.address() as AddressInfo;

  const stopLive = watchEvents({ options, archivePath, broadcast });
  const keepAlive = setInterval(() => {
    for (const stream of streams) stream.write(": keep-alive\n\n");
  }, 15_000);
  keepAlive.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      stopLive();
      clearInterval(keepAlive);
      for (const stream of streams) stream.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Sends every new event to the streams: through a bus rule, or by watching the archive file. */
function watchEvents(context: {
  readonly options: TimelineServerOptions;
  readonly archivePath: string;
  readonly broadcast: (payload: unknown) => void;
}): () => void {
  const { options, archivePath, broadcast } = context;
  const bus = options.bus;
  if (bus !== undefined) {
    const rule = liveRule();
    bus.addRule(rule, async (event: EventEnvelope) => broadcast(factsOf(event)), "timeline");
    return () => {
      bus.removeRule(rule.name);
    };
  }
  const listener = (
    current: { size: number; mtimeMs: number },
    previous: { size: number; mtimeMs: number },
  ) => {
    if (current.size !== previous.size || current.mtimeMs !== previous.mtimeMs)
      broadcast({ detailType: null });
  };
  watchFile(archivePath, { interval: options.pollMs ?? 250 }, listener);
  return () => unwatchFile(archivePath, listener);
}

function liveRule(): RuleDefinition {
  return {
    name: `timeline-live-${randomUUID()}`,
    description: "Tells the timeline page about every event as it happens",
    bus: "shipline",
    eventPattern: { source: [{ prefix: "" }] },
    target: { kind: "event-log" },
    retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
  };
}

function factsOf(event: EventEnvelope): { detailType: string; app: string | null; commit: string | null } {
  const facts = eventFacts.safeParse(event.detail);
  return {
    detailType: event["detail-type"],
    app: (facts.success ? facts.data.app : undefined) ?? null,
    commit: (facts.success ? facts.data.commit : undefined) ?? null,
  };
}

async function route(context: {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly data: TimelineData;
  readonly dataDir: string;
  readonly streams: Set<ServerResponse>;
}): Promise<void> {
  const { request, response, data } = context;
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  if (url.pathname === "/") {
    const nonce = randomBytes(16).toString("base64");
    response.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'`,
    });
    response.end(timelinePage(nonce));
    return;
  }
  if (url.pathname === "/api/apps") {
    sendJson(response, 200, await data.apps());
    return;
  }
  const journey = /^\/api\/journeys\/([^/]+)\/([0-9a-f]{7,64})$/.exec(url.pathname);
  if (journey) {
    const view = await data.journey(decodeURIComponent(journey[1] ?? ""), journey[2] ?? "");
    if (view === undefined) sendJson(response, 404, { error: "no journey of that app and commit" });
    else sendJson(response, 200, view);
    return;
  }
  if (url.pathname === "/api/stream") {
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    response.write("retry: 1000\n\n");
    context.streams.add(response);
    request.on("close", () => context.streams.delete(response));
    return;
  }
  if (url.pathname.startsWith("/files/")) {
    await sendLog(response, context.dataDir, decodeURIComponent(url.pathname.slice("/files/".length)));
    return;
  }
  sendJson(response, 404, { error: `no page at ${url.pathname}` });
}

/** A `file:` build-log URL under the data directory becomes `/files/<relative path>`; others stay. */
function servedLogUrl(url: string, dataDir: string): string | undefined {
  if (!url.startsWith("file:")) return url;
  let file: string;
  try {
    file = fileURLToPath(url);
  } catch {
    return undefined;
  }
  const relative = path.relative(dataDir, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  return `/files/${relative.split(path.sep).map(encodeURIComponent).join("/")}`;
}

/** Serves a file under the data directory as plain text; anything outside it is not found. */
async function sendLog(response: ServerResponse, dataDir: string, relative: string): Promise<void> {
  const root = await realpath(dataDir);
  const file = await realpath(path.resolve(dataDir, relative)).catch(() => undefined);
  const inside = file !== undefined && !path.relative(root, file).startsWith("..") && file !== root;
  if (!inside || !(await stat(file)).isFile()) {
    sendJson(response, 404, { error: "no such log" });
    return;
  }
  response.writeHead(200, {
    "content-type": "text/plain; charset=utf-8",
    "x-content-type-options": "nosniff",
  });
  response.end(await readFile(file));
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  response.end(JSON.stringify(body));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
