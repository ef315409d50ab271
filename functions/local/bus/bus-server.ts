import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { testEventPattern } from "../../core/event-pattern/test-event-pattern.js";
import {
  AMZ_JSON,
  PUT_EVENTS_TARGET,
  putEventsBody,
  TEST_EVENT_PATTERN_TARGET,
  testEventPatternBody,
  toRequestEntries,
} from "./bus-wire-protocol.js";
import type { PutEventsRequestEntry, PutEventsResponse } from "./put-events-entry.js";
import { type Replayer, START_REPLAY_TARGET, startReplay } from "./replay-endpoint.js";

/** The largest request body accepted, in bytes (ten 256 KB entries plus JSON overhead). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Options of {@link BusServer}. */
export interface BusServerOptions {
  /** The bus that receives the events. */
  readonly bus: {
    putEvents(entries: readonly PutEventsRequestEntry[]): Promise<PutEventsResponse>;
    /** Replays the archive (`AWSEvents.StartReplay`); without it the operation is refused. */
    replay?: Replayer;
  };
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** @default 0 - a free port */
  readonly port?: number;
}

/**
 * An HTTP endpoint for the local bus that speaks EventBridge's JSON protocol (`POST /`,
 * `X-Amz-Target: AWSEvents.PutEvents`, `AWSEvents.TestEventPattern` or `AWSEvents.StartReplay`,
 * `application/x-amz-json-1.1`),
 * so the real `@aws-sdk/client-eventbridge` client and the AWS CLI work against it with
 * `endpoint` set to its URL and any credentials.
 *
 * @example
 * ```ts
 * const server = new BusServer({ bus });
 * const url = await server.start();
 * const client = new EventBridgeClient({ endpoint: url, region: "us-east-1", credentials });
 * ```
 */
export class BusServer {
  private server: Server | undefined;
  private address: string | undefined;

  constructor(private readonly options: BusServerOptions) {}

  /** The URL once started. */
  get url(): string | undefined {
    return this.address;
  }

  /** Starts listening; resolves with the URL, e.g. `http://127.0.0.1:49152`. */
  async start(): Promise<string> {
    if (this.address) return this.address;
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        sendError(response, 500, "InternalFailure", message);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    const info = server.address();
    if (info === null || typeof info === "string") throw new Error("the bus server has no TCP address");
    const { address, port } = info;
    this.server = server;
    this.address = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
    return this.address;
  }

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.address = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.headers["x-amz-target"];
    if (request.method !== "POST") {
      sendError(response, 405, "UnknownOperationException", "Use POST with an X-Amz-Target header");
      return;
    }
    const body = await readBody(request);
    if (body === undefined) {
      sendError(response, 413, "ValidationException", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body === "" ? "{}" : body);
    } catch {
      sendError(response, 400, "SerializationException", "Request body is not valid JSON");
      return;
    }
    if (target === PUT_EVENTS_TARGET) await this.putEvents(json, response);
    else if (target === TEST_EVENT_PATTERN_TARGET) testPattern(json, response);
    else if (target === START_REPLAY_TARGET) await this.replay(json, response);
    else sendError(response, 400, "UnknownOperationException", `Unsupported operation ${String(target)}`);
  }

  private async replay(json: unknown, response: ServerResponse): Promise<void> {
    const { bus } = this.options;
    const answer = await startReplay(json, bus.replay?.bind(bus));
    if (answer.status === 200) send(response, 200, answer.body);
    else sendError(response, answer.status, answer.errorType, answer.message);
  }

  private async putEvents(json: unknown, response: ServerResponse): Promise<void> {
    const parsed = putEventsBody.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      sendError(
        response,
        400,
        "ValidationException",
        `${issue?.path.join(".") ?? "body"}: ${issue?.message}`,
      );
      return;
    }
    const entries = toRequestEntries(parsed.data.Entries);
    if (typeof entries === "string") {
      sendError(response, 400, "ValidationException", entries);
      return;
    }
    try {
      send(response, 200, await this.options.bus.putEvents(entries));
    } catch (error) {
      if (!(error instanceof ShiplineError)) throw error;
      const type = typeof error.data.awsErrorCode === "string" ? error.data.awsErrorCode : "InternalFailure";
      sendError(response, error.retryable ? 503 : 400, type, error.message);
    }
  }
}

function testPattern(json: unknown, response: ServerResponse): void {
  const parsed = testEventPatternBody.safeParse(json);
  if (!parsed.success) {
    sendError(response, 400, "ValidationException", "TestEventPattern needs EventPattern and Event strings");
    return;
  }
  try {
    send(response, 200, { Result: testEventPattern(parsed.data.EventPattern, parsed.data.Event) });
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    sendError(response, 400, "InvalidEventPatternException", error.message);
  }
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": AMZ_JSON,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  if (response.headersSent) return;
  response.setHeader("x-amzn-errortype", type);
  send(response, status, { __type: type, message });
}
