import { digestOf } from "./blob-store.js";
import { namePath, readBody, sendEmpty } from "./http-exchange.js";
import { type ParsedManifest, parseManifest } from "./manifest-document.js";
import { type Digest, isDigestReference, parseDigest, parseRepositoryName, parseTag } from "./reference.js";
import type { RegistryContext, RouteHandler } from "./registry-context.js";
import { registryError } from "./registry-error.js";

/** The largest manifest accepted; the specification asks registries to take at least 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * `PUT /v2/<name>/manifests/<tag|digest>`: validates the manifest, checks that every blob (and, for
 * an index, every manifest) it references is in the repository, stores it, moves the tag, and
 * announces the push. With `immutableTags`, moving an existing tag to another digest is refused with
 * 400 `TAG_INVALID`, the code and status ECR answers `docker push` with in an IMMUTABLE repository
 * (its API calls it `ImageTagAlreadyExistsException`); pushing the same digest again is accepted.
 *
 * @example
 * ```ts
 * await putManifest(context, exchange);
 * ```
 */
export const putManifest: RouteHandler = async (context, { request, response, name, reference }) => {
  const repository = parseRepositoryName(name);
  const tag = isDigestReference(reference) ? undefined : parseTag(reference);
  const content = await readBody(request, MAX_MANIFEST_BYTES);
  const parsed = parseManifest(request.headers["content-type"], content);
  const digest = manifestDigest(content, tag === undefined ? parseDigest(reference) : undefined);
  await requireReferences(context, repository, parsed);
  await context.serialise(async () => {
    if (tag !== undefined && context.immutableTags) await requireTagFree(context, repository, tag, digest);
    const now = context.clock.now();
    await context.blobs.write(content, digest.algorithm);
    await context.repositories.putManifest(repository, digest, {
      digest: digest.value,
      mediaType: parsed.mediaType,
      size: content.length,
      pushedAt: now.toISOString(),
      ...(parsed.artifactType === undefined ? {} : { artifactType: parsed.artifactType }),
      ...(parsed.subject === undefined ? {} : { subject: parsed.subject }),
    });
    if (tag !== undefined) await context.repositories.setTag(repository, tag, digest, now);
  });
  await context.announce({ repository, digest: digest.value, ...(tag === undefined ? {} : { tag }) });
  sendEmpty(response, 201, {
    Location: `/v2/${namePath(repository)}/manifests/${digest.value}`,
    "Docker-Content-Digest": digest.value,
    ...(parsed.subject === undefined ? {} : { "OCI-Subject": parsed.subject }),
  });
};

function manifestDigest(content: Buffer, expected: Digest | undefined): Digest {
  const actual = digestOf(content, expected?.algorithm ?? "sha256");
  if (expected && actual.hex !== expected.hex) {
    throw registryError({
      status: 400,
      code: "DIGEST_INVALID",
      message: `the manifest hashes to ${actual.value}, not ${expected.value}; push it by tag or by its real digest`,
      detail: { expected: expected.value, actual: actual.value },
    });
  }
  return actual;
}

async function requireReferences(context: RegistryContext, repository: string, parsed: ParsedManifest) {
  for (const blob of parsed.blobs) {
    const digest = referencedDigest(blob.digest);
    const present =
      (await context.repositories.hasBlob(repository, digest)) &&
      (await context.blobs.size(digest)) !== undefined;
    if (!present) throw blobUnknown(repository, blob.digest, "blob");
  }
  for (const child of parsed.manifests) {
    const digest = referencedDigest(child.digest);
    if (!(await context.repositories.getManifest(repository, digest))) {
      throw blobUnknown(repository, child.digest, "manifest");
    }
  }
}

async function requireTagFree(context: RegistryContext, repository: string, tag: string, digest: Digest) {
  const existing = await context.repositories.getTag(repository, tag);
  if (existing && existing.digest !== digest.value) {
    throw registryError({
      status: 400,
      code: "TAG_INVALID",
      message: `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable; push a new tag`,
      detail: { tag, existingDigest: existing.digest, digest: digest.value },
    });
  }
}

function referencedDigest(value: string): Digest {
  try {
    return parseDigest(value);
  } catch {
    throw registryError({
      status: 400,
      code: "MANIFEST_INVALID",
      message: `the manifest references '${value}', which is not a valid digest; use sha256:<64 hex characters>`,
      detail: { digest: value },
    });
  }
}

function blobUnknown(repository: string, digest: string, kind: "blob" | "manifest") {
  return registryError({
    status: 400,
    code: "MANIFEST_BLOB_UNKNOWN",
    message: `the manifest references ${kind} ${digest}, which is not in repository '${repository}'; push the ${kind} first`,
    detail: { digest },
  });
}
