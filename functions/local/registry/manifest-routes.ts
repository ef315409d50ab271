import { API_VERSION_HEADER, sendEmpty } from "./http-exchange.js";
import { baseType } from "./manifest-document.js";
import { type Digest, isDigestReference, parseDigest, parseRepositoryName, parseTag } from "./reference.js";
import type { RegistryContext, RouteHandler } from "./registry-context.js";
import { registryError } from "./registry-error.js";
import type { ManifestRecord } from "./repository-store.js";

/** A stored manifest found by tag or digest. */
export interface ResolvedManifest {
  readonly digest: Digest;
  readonly record: ManifestRecord;
  readonly content: Buffer;
}

/**
 * Finds a manifest of a repository by tag or by digest; undefined when there is none.
 *
 * @example
 * ```ts
 * const found = await resolveManifest(context, "demo/app", "1.0");
 * ```
 */
export async function resolveManifest(
  context: Pick<RegistryContext, "blobs" | "repositories">,
  repository: string,
  reference: string,
): Promise<ResolvedManifest | undefined> {
  let digest: Digest;
  if (isDigestReference(reference)) {
    digest = parseDigest(reference);
  } else {
    const tag = await context.repositories.getTag(repository, parseTag(reference));
    if (!tag) return undefined;
    digest = parseDigest(tag.digest);
  }
  const record = await context.repositories.getManifest(repository, digest);
  const content = record ? await context.blobs.read(digest) : undefined;
  return record && content ? { digest, record, content } : undefined;
}

/**
 * `GET` / `HEAD /v2/<name>/manifests/<tag|digest>`: answers the manifest with its stored media
 * type. When the request's `Accept` lists types and none matches (`*\/*` and `type/*` included),
 * it answers 404 `MANIFEST_UNKNOWN`, as the reference registry does.
 */
export const getManifest: RouteHandler = async (context, { request, response, name, reference }) => {
  const repository = parseRepositoryName(name);
  const found = await resolveManifest(context, repository, reference);
  if (!found) throw manifestUnknown(repository, reference);
  const accepted = acceptedTypes(request.headers.accept);
  if (accepted.length > 0 && !accepts(accepted, found.record.mediaType)) {
    throw registryError({
      status: 404,
      code: "MANIFEST_UNKNOWN",
      message: `manifest '${reference}' of '${repository}' is a ${found.record.mediaType}, which the Accept header does not list; add it to Accept`,
      detail: { mediaType: found.record.mediaType, accept: accepted },
    });
  }
  response.writeHead(200, {
    ...API_VERSION_HEADER,
    "Content-Type": found.record.mediaType,
    "Content-Length": found.content.length,
    "Docker-Content-Digest": found.digest.value,
    ETag: `"${found.digest.value}"`,
  });
  response.end(request.method === "HEAD" ? undefined : found.content);
};

/**
 * `DELETE /v2/<name>/manifests/<tag|digest>`: by tag removes the tag; by digest removes the manifest
 * and every tag pointing at it (202).
 */
export const deleteManifest: RouteHandler = async (context, { response, name, reference }) => {
  const repository = parseRepositoryName(name);
  let deleted: boolean;
  if (isDigestReference(reference)) {
    const digest = parseDigest(reference);
    deleted = await context.serialise(async () => {
      for (const tag of await context.repositories.listTags(repository)) {
        if (tag.digest === digest.value) await context.repositories.deleteTag(repository, tag.tag);
      }
      return context.repositories.deleteManifest(repository, digest);
    });
  } else {
    const tag = parseTag(reference);
    deleted = await context.serialise(() => context.repositories.deleteTag(repository, tag));
  }
  if (!deleted) throw manifestUnknown(repository, reference);
  sendEmpty(response, 202);
};

function manifestUnknown(repository: string, reference: string) {
  return registryError({
    status: 404,
    code: "MANIFEST_UNKNOWN",
    message: `manifest '${reference}' is not in repository '${repository}'; push it first or check the tag`,
    detail: { reference },
  });
}

function acceptedTypes(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(",")
    .map((item) => baseType(item))
    .filter((item): item is string => item !== undefined);
}

function accepts(accepted: readonly string[], mediaType: string): boolean {
  const family = `${mediaType.split("/")[0]}/*`;
  return accepted.some((type) => type === mediaType || type === "*/*" || type === family);
}
