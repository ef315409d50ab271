import { namePath, paginate, sendJson } from "./http-exchange.js";
import { ManifestMediaType, parseManifest } from "./manifest-document.js";
import { parseDigest, parseRepositoryName } from "./reference.js";
import type { RouteHandler } from "./registry-context.js";
import { registryError } from "./registry-error.js";

/**
 * `GET /v2/`: the API version check every client starts with (anonymous access, no challenge).
 *
 * @example
 * ```ts
 * await ping(context, exchange);
 * ```
 */
export const ping: RouteHandler = async (_context, { response }) => {
  sendJson(response, 200, {});
};

/** `GET /v2/<name>/tags/list?n=&last=`: the repository's tags in lexical order, paginated with `Link`. */
export const listTags: RouteHandler = async (context, { response, url, name }) => {
  const repository = parseRepositoryName(name);
  if (!(await context.repositories.exists(repository))) {
    throw registryError({
      status: 404,
      code: "NAME_UNKNOWN",
      message: `repository '${repository}' is not known to this registry; push an image to it first`,
      detail: { name: repository },
    });
  }
  const tags = (await context.repositories.listTags(repository)).map((tag) => tag.tag);
  const page = paginate(tags, url, `/v2/${namePath(repository)}/tags/list`);
  sendJson(response, 200, { name: repository, tags: page.items }, page.link ? { Link: page.link } : {});
};

/** `GET /v2/_catalog?n=&last=`: every repository name in lexical order, paginated with `Link`. */
export const listCatalog: RouteHandler = async (context, { response, url }) => {
  const page = paginate(await context.repositories.listRepositories(), url, "/v2/_catalog");
  sendJson(response, 200, { repositories: page.items }, page.link ? { Link: page.link } : {});
};

/**
 * `GET /v2/<name>/referrers/<digest>?artifactType=`: an OCI index of the manifests whose `subject` is
 * the digest (empty when there are none, as the specification asks).
 */
export const listReferrers: RouteHandler = async (context, { response, url, name, reference }) => {
  const repository = parseRepositoryName(name);
  const subject = parseDigest(reference);
  const filter = url.searchParams.get("artifactType");
  const manifests: Record<string, unknown>[] = [];
  for (const record of await context.repositories.listManifests(repository)) {
    if (record.subject !== subject.value) continue;
    if (filter !== null && record.artifactType !== filter) continue;
    const content = await context.blobs.read(parseDigest(record.digest));
    if (!content) continue;
    const parsed = parseManifest(record.mediaType, content);
    const document = parsed.document.kind === "image" ? parsed.document.manifest : parsed.document.index;
    manifests.push({
      mediaType: record.mediaType,
      digest: record.digest,
      size: record.size,
      ...(record.artifactType === undefined ? {} : { artifactType: record.artifactType }),
      ...(document.annotations === undefined ? {} : { annotations: document.annotations }),
    });
  }
  const index = { schemaVersion: 2, mediaType: ManifestMediaType.OciIndex, manifests };
  sendJson(response, 200, index, {
    "Content-Type": ManifestMediaType.OciIndex,
    ...(filter === null ? {} : { "OCI-Filters-Applied": "artifactType" }),
  });
};
