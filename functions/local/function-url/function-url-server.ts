import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  FunctionUrlRequest,
  FunctionUrlResponse,
} from "../../core/contracts/aws/function-url-request.js";

/** A function behind a Function URL: takes a payload 2.0 request, answers a payload 2.0 response. */
export type FunctionUrlHandler = (request: FunctionUrlRequest) => Promise<FunctionUrlResponse>;

/** Options for {@link FunctionUrlServer}. */
export interface FunctionUrlServerOptions {
  /** The function to invoke for every request. */
  readonly handler: FunctionUrlHandler;
  /** Port to bind on 127.0.0.1. @default 0 - a free port */
  readonly port?: number;
  /**
   * Largest request body read, in bytes; a larger one is answered 413 without invoking the function,
   * as Lambda does past its 6 MB payload limit.
   * @default 6 MiB
   */
  readonly maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY = 6 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|.*\+json|.*\+xml))/i;

/**
 * The local stand-in of a Lambda Function URL: turns each HTTP request into a payload format 2.0
 * event (headers lower-cased, multi-value headers joined with commas, binary bodies base64-encoded),
 * invokes the function and writes its response back. A function that throws is answered 502, as
 * Lambda answers an invocation error.
 *
 * @example
 * ```ts
 * const server = new FunctionUrlServer({ handler: webhookHandler });
 * const url = await server.start(); // http://127.0.0.1:PORT/
 * ```
 */
export class FunctionUrlServer {
  private readonly options: FunctionUrlServerOptions;
  private server: Server | undefined;

  constructor(options: FunctionUrlServerOptions) {
    this.options = options;
  }

  /** Starts listening on 127.0.0.1 and resolves with the base URL (ending in `/`). */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.serve(req, res);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/`;
  }

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const maxBody = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const body = await readBody(req, maxBody);
    if (body === "too-large") {
      writeResponse(res, {
        statusCode: 413,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: `Request body is over the ${maxBody}-byte limit` }),
      });
      return;
    }
    const request = toFunctionUrlRequest(req, body);
    try {
      writeResponse(res, await this.options.handler(request));
    } catch {
      // Lambda answers an invocation error with 502 and no detail; the function's own log has it.
      writeResponse(res, {
        statusCode: 502,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: "Internal Server Error" }),
      });
    }
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) {
      req.resume();
      return "too-large";
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Builds the payload 2.0 event Lambda would pass for this HTTP request.
 *
 * @example
 * ```ts
 * const event = toFunctionUrlRequest(req, body);
 * ```
 */
export function toFunctionUrlRequest(req: IncomingMessage, body: Buffer): FunctionUrlRequest {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    if (key === "cookie") {
      cookies.push(...String(value).split(/;\s*/));
      continue;
    }
    headers[key] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  }
  const contentType = headers["content-type"] ?? "";
  const isText = body.length === 0 || TEXT_TYPES.test(contentType);
  const now = new Date();
  return {
    version: "2.0",
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "anonymous",
      apiId: "local",
      domainName: headers.host ?? "127.0.0.1",
      domainPrefix: "local",
      http: {
        method: req.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: !isText,
  };
}

function writeResponse(res: ServerResponse, response: FunctionUrlResponse): void {
  const headers = { ...(response.headers ?? {}) };
  const body = response.body ?? "";
  const bytes = response.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  res.writeHead(response.statusCode, { ...headers, "content-length": String(bytes.length) });
  res.end(bytes);
}
