import { contentLength, contentRange, namePath, sendEmpty, uploadRange } from "./http-exchange.js";
import { parseDigest, parseRepositoryName } from "./reference.js";
import type { Exchange, RegistryContext, RouteHandler } from "./registry-context.js";
import { registryError } from "./registry-error.js";

/**
 * `POST /v2/<name>/blobs/uploads/`: with `?mount=<digest>&from=<repository>` links a blob another
 * repository holds (201), or starts an upload when it cannot (202); with `?digest=` takes the whole
 * blob in this one request (201); otherwise starts a chunked upload (202).
 *
 * @example
 * ```ts
 * await startUpload(context, exchange);
 * ```
 */
export const startUpload: RouteHandler = async (context, exchange) => {
  const { url, request, response } = exchange;
  const repository = parseRepositoryName(exchange.name);
  const mount = url.searchParams.get("mount");
  if (mount !== null && (await mounted(context, repository, mount, url.searchParams.get("from")))) {
    sendCreated(exchange, repository, mount);
    return;
  }
  const monolithic = url.searchParams.get("digest");
  const digest = monolithic === null || mount !== null ? undefined : parseDigest(monolithic);
  const session = await context.uploads.create(repository);
  if (digest) {
    const length = contentLength(request);
    await context.uploads.finish(session.id, repository, digest, {
      body: request,
      ...(length === undefined ? {} : { length }),
    });
    await context.repositories.linkBlob(repository, digest);
    sendCreated(exchange, repository, digest.value);
    return;
  }
  sendEmpty(response, 202, sessionHeaders(repository, session.id, session.size));
};

/** `PATCH /v2/<name>/blobs/uploads/<id>`: appends a chunk; `Content-Range` must continue the upload. */
export const patchUpload: RouteHandler = async (context, { request, response, name, reference }) => {
  const repository = parseRepositoryName(name);
  const range = contentRange(request);
  const length = contentLength(request);
  const session = await context.uploads.append(reference, repository, {
    body: request,
    ...(range === undefined ? {} : { range }),
    ...(length === undefined ? {} : { length }),
  });
  sendEmpty(response, 202, sessionHeaders(repository, session.id, session.size));
};

/** `PUT /v2/<name>/blobs/uploads/<id>?digest=`: appends an optional last chunk and stores the verified blob. */
export const finishUpload: RouteHandler = async (context, exchange) => {
  const { request, url, reference } = exchange;
  const repository = parseRepositoryName(exchange.name);
  const value = url.searchParams.get("digest");
  if (value === null) {
    throw registryError({
      status: 400,
      code: "DIGEST_INVALID",
      message: `closing upload '${reference}' needs the blob's digest: add ?digest=sha256:<hex> to the PUT`,
      detail: { uuid: reference },
    });
  }
  const digest = parseDigest(value);
  const range = contentRange(request);
  const length = contentLength(request);
  await context.uploads.finish(reference, repository, digest, {
    body: request,
    ...(range === undefined ? {} : { range }),
    ...(length === undefined ? {} : { length }),
  });
  await context.repositories.linkBlob(repository, digest);
  sendCreated(exchange, repository, digest.value);
};

/** `GET /v2/<name>/blobs/uploads/<id>`: how far an upload got (204 with `Range`). */
export const uploadStatus: RouteHandler = async (context, { response, name, reference }) => {
  const repository = parseRepositoryName(name);
  const session = context.uploads.get(reference, repository);
  sendEmpty(response, 204, sessionHeaders(repository, session.id, session.size));
};

/** `DELETE /v2/<name>/blobs/uploads/<id>`: cancels an upload (204). */
export const cancelUpload: RouteHandler = async (context, { response, name, reference }) => {
  const repository = parseRepositoryName(name);
  await context.uploads.cancel(reference, repository);
  sendEmpty(response, 204);
};

async function mounted(
  context: RegistryContext,
  repository: string,
  mount: string,
  from: string | null,
): Promise<boolean> {
  const digest = parseDigest(mount);
  // Without `from` (or from a repository that lacks the blob) the client falls back to uploading.
  if (from === null) return false;
  const source = parseRepositoryName(from);
  if (!(await context.repositories.hasBlob(source, digest))) return false;
  if ((await context.blobs.size(digest)) === undefined) return false;
  await context.repositories.linkBlob(repository, digest);
  return true;
}

function sendCreated({ response }: Exchange, repository: string, digest: string): void {
  sendEmpty(response, 201, {
    Location: `/v2/${namePath(repository)}/blobs/${digest}`,
    "Docker-Content-Digest": digest,
  });
}

function sessionHeaders(repository: string, id: string, size: number) {
  return {
    Location: `/v2/${namePath(repository)}/blobs/uploads/${id}`,
    Range: uploadRange(size),
    "Docker-Upload-UUID": id,
  };
}
