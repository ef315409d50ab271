import type { IncomingMessage, ServerResponse } from "node:http";

/** Largest request body the local identity endpoints read, in bytes. */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/**
 * Reads a request body up to `limit` bytes; answers `undefined` when it is larger.
 *
 * @example
 * ```ts
 * const body = await readRequestBody(req, MAX_REQUEST_BODY_BYTES);
 * ```
 */
export async function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) {
      req.resume();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Writes a JSON response that no cache keeps (RFC 6749 section 5.1 asks this of token responses).
 *
 * @example
 * ```ts
 * sendJson(res, 200, { keys: [] });
 * ```
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = Buffer.from(`${JSON.stringify(body)}\n`, "utf8");
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(bytes.length),
    "cache-control": "no-store",
    pragma: "no-cache",
    ...headers,
  });
  res.end(bytes);
}
