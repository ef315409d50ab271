import { pipeline } from "node:stream/promises";
import type { ByteRange } from "./blob-store.js";
import { API_VERSION_HEADER, sendEmpty } from "./http-exchange.js";
import { parseDigest, parseRepositoryName } from "./reference.js";
import type { RouteHandler } from "./registry-context.js";
import { registryError } from "./registry-error.js";

/**
 * `GET` / `HEAD /v2/<name>/blobs/<digest>`: streams a blob linked into the repository, whole or one
 * byte range (`Range: bytes=<start>-<end>` answers 206).
 *
 * @example
 * ```ts
 * await getBlob(context, exchange);
 * ```
 */
export const getBlob: RouteHandler = async (context, { request, response, name, reference }) => {
  const repository = parseRepositoryName(name);
  const digest = parseDigest(reference);
  const size = (await context.repositories.hasBlob(repository, digest))
    ? await context.blobs.size(digest)
    : undefined;
  if (size === undefined) {
    throw registryError({
      status: 404,
      code: "BLOB_UNKNOWN",
      message: `blob ${digest.value} is not in repository '${repository}'; upload it first`,
      detail: { digest: digest.value },
    });
  }
  const headers = {
    ...API_VERSION_HEADER,
    "Content-Type": "application/octet-stream",
    "Docker-Content-Digest": digest.value,
    "Accept-Ranges": "bytes",
    ETag: `"${digest.value}"`,
  };
  const range = requestedRange(request.headers.range, size);
  if (range === "unsatisfiable") {
    response.writeHead(416, { ...headers, "Content-Range": `bytes */${size}`, "Content-Length": 0 });
    response.end();
    return;
  }
  const length = range ? range.end - range.start + 1 : size;
  const status = range ? 206 : 200;
  response.writeHead(status, {
    ...headers,
    "Content-Length": length,
    ...(range ? { "Content-Range": `bytes ${range.start}-${range.end}/${size}` } : {}),
  });
  if (request.method === "HEAD" || length === 0) {
    response.end();
    return;
  }
  await pipeline(context.blobs.stream(digest, range), response);
};

/**
 * `DELETE /v2/<name>/blobs/<digest>`: unlinks a blob from the repository (202). The content stays in
 * the shared store while other repositories link it.
 */
export const deleteBlob: RouteHandler = async (context, { response, name, reference }) => {
  const repository = parseRepositoryName(name);
  const digest = parseDigest(reference);
  if (!(await context.repositories.unlinkBlob(repository, digest))) {
    throw registryError({
      status: 404,
      code: "BLOB_UNKNOWN",
      message: `blob ${digest.value} is not in repository '${repository}'; nothing to delete`,
      detail: { digest: digest.value },
    });
  }
  sendEmpty(response, 202);
};

/** Reads a single `bytes=<start>-<end>` range; other forms are ignored (the whole blob is sent). */
function requestedRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (!match[1] && !match[2])) return undefined;
  let start: number;
  let end: number;
  if (!match[1]) {
    // A suffix range: the last N bytes.
    start = Math.max(size - Number(match[2]), 0);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  }
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}
