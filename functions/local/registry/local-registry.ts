import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { EcrImageActionEvent } from "../../core/contracts/aws/ecr-image-action.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import { BlobStore } from "./blob-store.js";
import { imageActionEvent } from "./image-action-event.js";
import { type ParsedManifest, parseManifest } from "./manifest-document.js";
import { resolveManifest } from "./manifest-routes.js";
import { parseDigest, parseRepositoryName } from "./reference.js";
import type { PushNotice, RegistryContext } from "./registry-context.js";
import { routeRequest } from "./registry-router.js";
import { RepositoryStore } from "./repository-store.js";
import { UploadSessions } from "./upload-sessions.js";

/** Options of {@link startLocalRegistry}. */
export interface LocalRegistryOptions {
  /** Directory holding blobs, repositories and uploads; created when missing, kept across restarts. */
  readonly dataDir: string;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** @default 0 - a free port */
  readonly port?: number;
  /** Refuse to move a tag to another digest, like an ECR repository with IMMUTABLE tags. @default false */
  readonly immutableTags?: boolean;
  /** Called after each stored manifest with ECR's `ECR Image Action` (PUSH, SUCCESS) event. */
  readonly onImagePushed?: (event: EcrImageActionEvent) => void | Promise<void>;
  /**
   * Told when `onImagePushed` fails; the push itself still succeeds, since ECR's events are best
   * effort too (the image-pushed sweep is the backstop). @default - writes one line to stderr
   */
  readonly onError?: (error: unknown, event: EcrImageActionEvent) => void;
  /** @default - the system clock */
  readonly clock?: Clock;
  /** Account of the emitted events. @default "000000000000" */
  readonly account?: string;
  /** Region of the emitted events. @default "local" */
  readonly region?: string;
  /** Event ids. @default - random UUIDs */
  readonly newId?: () => string;
}

/** A manifest as the read API returns it. */
export interface StoredManifest {
  readonly repository: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** The exact bytes pushed. */
  readonly content: Buffer;
  /** The parsed document (image manifest or index). */
  readonly document: ParsedManifest["document"];
  /** Tags pointing at it, in lexical order. */
  readonly tags: readonly string[];
  /** When this digest was first pushed to the repository. */
  readonly pushedAt: Date;
}

/** One image of a repository, as {@link LocalRegistry.listImages} returns it. */
export type ImageSummary = Omit<StoredManifest, "content" | "document">;

/** A running local registry. */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `127.0.0.1:<port>`, the registry part of an image reference. */
  readonly host: string;
  readonly port: number;
  /** A manifest by tag or digest, or undefined. */
  getManifest(repository: string, reference: string): Promise<StoredManifest | undefined>;
  /** A blob's content by digest (config, layer or manifest), or undefined. */
  getBlob(digest: string): Promise<Buffer | undefined>;
  /** Every manifest of a repository with its tags and push time, oldest push first. */
  listImages(repository: string): Promise<ImageSummary[]>;
  /** Every repository name, in lexical order. */
  listRepositories(): Promise<string[]>;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts an OCI registry (distribution specification v1.1) on 127.0.0.1, content-addressed on disk,
 * that real clients (skopeo, buildah, docker) push to and pull from anonymously over plain HTTP, and
 * that announces every stored manifest as ECR's `ECR Image Action` event.
 *
 * @example
 * ```ts
 * const registry = await startLocalRegistry({ dataDir, immutableTags: true, onImagePushed: (event) => bus.put(event) });
 * // skopeo copy --dest-tls-verify=false oci:./image:1.0 docker://${registry.host}/demo/app:1.0
 * await registry.close();
 * ```
 */
export async function startLocalRegistry(options: LocalRegistryOptions): Promise<LocalRegistry> {
  const blobs = new BlobStore(options.dataDir);
  const repositories = new RepositoryStore(options.dataDir);
  const uploads = new UploadSessions(options.dataDir, blobs);
  await uploads.reset();
  const context: RegistryContext = {
    blobs,
    repositories,
    uploads,
    immutableTags: options.immutableTags ?? false,
    clock: options.clock ?? systemClock,
    announce: announcer(options),
    serialise: serialiser(),
  };
  const server = createServer((request, response) => void routeRequest(context, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new ShiplineError({
      code: "REGISTRY_LISTEN_FAILED",
      message: `the registry listens on '${String(address)}', not on a TCP port; start it without a pipe path`,
    });
  }
  const host = `${address.address}:${address.port}`;

  const getManifest = async (repository: string, reference: string): Promise<StoredManifest | undefined> => {
    const name = parseRepositoryName(repository);
    const found = await resolveManifest(context, name, reference);
    if (!found) return undefined;
    const tags = await repositories.listTags(name);
    return {
      repository: name,
      digest: found.digest.value,
      mediaType: found.record.mediaType,
      size: found.record.size,
      content: found.content,
      document: parseManifest(found.record.mediaType, found.content).document,
      tags: tags.filter((tag) => tag.digest === found.digest.value).map((tag) => tag.tag),
      pushedAt: new Date(found.record.pushedAt),
    };
  };

  return {
    url: `http://${host}`,
    host,
    port: address.port,
    getManifest,
    getBlob: (digest) => blobs.read(parseDigest(digest)),
    listImages: async (repository) => {
      const name = parseRepositoryName(repository);
      const tags = await repositories.listTags(name);
      const images = (await repositories.listManifests(name)).map((record) => ({
        repository: name,
        digest: record.digest,
        mediaType: record.mediaType,
        size: record.size,
        tags: tags.filter((tag) => tag.digest === record.digest).map((tag) => tag.tag),
        pushedAt: new Date(record.pushedAt),
      }));
      return images.sort(
        (a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || (a.digest < b.digest ? -1 : 1),
      );
    },
    listRepositories: () => repositories.listRepositories(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function announcer(options: LocalRegistryOptions): (notice: PushNotice) => Promise<void> {
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? randomUUID;
  const onError =
    options.onError ??
    ((error: unknown, event: EcrImageActionEvent) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `local registry: delivering ECR Image Action ${event.id} for ${event.detail["repository-name"]}@${event.detail["image-digest"]} failed: ${reason}\n`,
      );
    });
  return async (notice) => {
    if (!options.onImagePushed) return;
    const event = imageActionEvent({
      id: newId(),
      time: clock.now(),
      account: options.account ?? "000000000000",
      region: options.region ?? "local",
      repository: notice.repository,
      digest: notice.digest,
      ...(notice.tag === undefined ? {} : { tag: notice.tag }),
    });
    try {
      await options.onImagePushed(event);
    } catch (error) {
      onError(error, event);
    }
  };
}

function serialiser(): RegistryContext["serialise"] {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
}
