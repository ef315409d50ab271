import type { IncomingMessage, ServerResponse } from "node:http";
import type { ByteRange } from "./blob-store.js";
import { registryError } from "./registry-error.js";

/** Header every response carries, as the Docker registry API asks. */
export const API_VERSION_HEADER = { "Docker-Distribution-API-Version": "registry/2.0" } as const;

/** Headers of a response. */
export type Headers = Readonly<Record<string, string | number>>;

/**
 * Sends a JSON body.
 *
 * @example
 * ```ts
 * sendJson(response, 200, { name, tags });
 * ```
 */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Headers = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...API_VERSION_HEADER,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Sends a response without a body. */
export function sendEmpty(response: ServerResponse, status: number, headers: Headers = {}): void {
  response.writeHead(status, { ...API_VERSION_HEADER, "Content-Length": 0, ...headers });
  response.end();
}

/** Reads a whole request body, refusing more than `limit` bytes with a 413 `SIZE_INVALID`. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) {
      throw registryError({
        status: 413,
        code: "SIZE_INVALID",
        message: `the request body is larger than ${limit} bytes; manifests must stay within that size`,
        detail: { limit },
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads `Content-Length`, or undefined when absent. */
export function contentLength(request: IncomingMessage): number | undefined {
  const value = request.headers["content-length"];
  return value === undefined ? undefined : Number.parseInt(value, 10);
}

/**
 * Reads an upload's `Content-Range` (`<start>-<end>`, also accepted as `bytes <start>-<end>/<total>`);
 * a malformed one is a 416.
 */
export function contentRange(request: IncomingMessage): ByteRange | undefined {
  const value = request.headers["content-range"];
  if (value === undefined) return undefined;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw registryError({
      status: 416,
      code: "BLOB_UPLOAD_INVALID",
      message: `Content-Range '${value}' is malformed; send <start>-<end>, e.g. 0-1023`,
      detail: { contentRange: value },
    });
  }
  return { start: Number(match[1]), end: Number(match[2]) };
}

/** The `Range` header value of an upload that holds `size` bytes: `0-<last byte>`. */
export function uploadRange(size: number): string {
  return `0-${Math.max(size - 1, 0)}`;
}

/** Encodes a repository name for a URL path, keeping its slashes. */
export function namePath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}

/** One page of a listing and, when more follow, the `Link` header to the next page. */
export interface Page {
  readonly items: string[];
  readonly link?: string;
}

/**
 * Paginates a sorted listing the way `tags/list` and `_catalog` do: `n` items after `last`.
 *
 * @example
 * ```ts
 * const page = paginate(tags, url, `/v2/${name}/tags/list`);
 * ```
 */
export function paginate(sorted: readonly string[], url: URL, path: string): Page {
  const last = url.searchParams.get("last");
  const after = last === null ? sorted : sorted.filter((item) => item > last);
  const n = url.searchParams.get("n");
  if (n === null) return { items: [...after] };
  if (!/^\d+$/.test(n)) {
    throw registryError({
      status: 400,
      code: "UNSUPPORTED",
      message: `page size n='${n}' is invalid; use a whole number such as n=100`,
      detail: { n },
    });
  }
  const size = Number(n);
  const items = after.slice(0, size);
  const end = items.at(-1);
  if (after.length <= size || end === undefined) return { items };
  const next = new URLSearchParams({ n: String(size), last: end });
  return { items, link: `<${path}?${next.toString()}>; rel="next"` };
}
