import { createHash } from "node:crypto";
import {
  BatchGetImageCommand,
  type ECRClient,
  GetDownloadUrlForLayerCommand,
  paginateDescribeImages,
} from "@aws-sdk/client-ecr";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import {
  labelsOfImageConfig,
  MANIFEST_MEDIA_TYPES,
  readImageDocument,
} from "../../core/images/image-documents.js";
import type { ImageRegistry, RegistryImage } from "../../core/ports/image-registry.js";

/** Fetches a presigned layer URL; `fetch` by default. */
export type BlobFetch = (url: string) => Promise<Response>;

/** Options of {@link EcrImageRegistry}. */
export interface EcrImageRegistryOptions {
  /** The ECR client, created once per cold start. */
  readonly client: ECRClient;
  /** The account of the registry. @default - the caller's account */
  readonly registryId?: string;
  /** Downloads the config blob from the URL ECR presigns. @default globalThis.fetch */
  readonly fetch?: BlobFetch;
}

/**
 * The {@link ImageRegistry} of ECR. Labels: `BatchGetImage` (accepting OCI and Docker manifests and
 * indexes; an index is followed to its first platform image), then the config blob through
 * `GetDownloadUrlForLayer` and a download whose sha256 must match the digest. Listing:
 * `DescribeImages`, every page, filtered on `imagePushedAt`. A missing repository or image is an
 * absence, not an error; anything else is a retryable `REGISTRY_UNAVAILABLE` naming the call.
 *
 * @example
 * ```ts
 * const registry = new EcrImageRegistry({ client: new ECRClient({}) });
 * const labels = await registry.getImageLabels("demo", "sha256:0123...");
 * ```
 */
export class EcrImageRegistry implements ImageRegistry {
  readonly #client: ECRClient;
  readonly #registryId: string | undefined;
  readonly #fetch: BlobFetch;

  constructor(options: EcrImageRegistryOptions) {
    this.#client = options.client;
    this.#registryId = options.registryId;
    this.#fetch = options.fetch ?? ((url) => fetch(url));
  }

  async getImageLabels(
    repository: string,
    digest: string,
  ): Promise<Readonly<Record<string, string>> | undefined> {
    const manifest = await this.#manifest(repository, digest);
    if (manifest === undefined) return undefined;
    let document = readImageDocument(manifest);
    if (document.kind === "index") {
      if (document.manifestDigest === undefined) return {};
      const platform = await this.#manifest(repository, document.manifestDigest);
      if (platform === undefined) return undefined;
      document = readImageDocument(platform);
      if (document.kind === "index") return {};
    }
    const config = await this.#configBlob(repository, document.configDigest);
    return config === undefined ? undefined : labelsOfImageConfig(config);
  }

  async listImagesSince(repository: string, since: Date | undefined): Promise<RegistryImage[]> {
    const images: RegistryImage[] = [];
    try {
      const pages = paginateDescribeImages(
        { client: this.#client },
        { repositoryName: repository, registryId: this.#registryId, filter: { tagStatus: "ANY" } },
      );
      for await (const page of pages) {
        for (const detail of page.imageDetails ?? []) {
          const { imageDigest, imagePushedAt } = detail;
          if (imageDigest === undefined || imagePushedAt === undefined) continue;
          if (since !== undefined && imagePushedAt.getTime() < since.getTime()) continue;
          images.push({
            repository,
            digest: imageDigest,
            tags: detail.imageTags ?? [],
            pushedAt: imagePushedAt,
          });
        }
      }
    } catch (error) {
      if (isNamed(error, "RepositoryNotFoundException")) return [];
      throw unavailable("DescribeImages", repository, error);
    }
    return images.sort(
      (a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || (a.digest < b.digest ? -1 : 1),
    );
  }

  /** The manifest text of an image, or undefined when the repository or image is gone. */
  async #manifest(repository: string, digest: string): Promise<string | undefined> {
    try {
      const output = await this.#client.send(
        new BatchGetImageCommand({
          repositoryName: repository,
          registryId: this.#registryId,
          imageIds: [{ imageDigest: digest }],
          acceptedMediaTypes: [...MANIFEST_MEDIA_TYPES],
        }),
      );
      const manifest = output.images?.find((image) => image.imageId?.imageDigest === digest)?.imageManifest;
      if (manifest !== undefined) return manifest;
      const failure = output.failures?.[0];
      if (failure === undefined || failure.failureCode === "ImageNotFound") return undefined;
      throw new ShiplineError({
        code: "REGISTRY_UNAVAILABLE",
        message:
          `ECR BatchGetImage could not return ${repository}@${digest}: ${failure.failureCode ?? "no code"} ${failure.failureReason ?? ""}`.trim(),
        data: { repository, digest, failureCode: failure.failureCode },
        retryable: true,
      });
    } catch (error) {
      if (error instanceof ShiplineError) throw error;
      if (isNamed(error, "RepositoryNotFoundException") || isNamed(error, "ImageNotFoundException"))
        return undefined;
      throw unavailable("BatchGetImage", repository, error);
    }
  }

  /** The config blob's bytes, checked against its digest; undefined when ECR no longer has it. */
  async #configBlob(repository: string, digest: string): Promise<Uint8Array | undefined> {
    let url: string | undefined;
    try {
      const output = await this.#client.send(
        new GetDownloadUrlForLayerCommand({
          repositoryName: repository,
          registryId: this.#registryId,
          layerDigest: digest,
        }),
      );
      url = output.downloadUrl;
    } catch (error) {
      if (isNamed(error, "RepositoryNotFoundException") || isNamed(error, "LayersNotFoundException"))
        return undefined;
      throw unavailable("GetDownloadUrlForLayer", repository, error);
    }
    if (url === undefined)
      throw unavailable("GetDownloadUrlForLayer", repository, new Error("no downloadUrl"));
    let content: Uint8Array;
    try {
      const response = await this.#fetch(url);
      if (!response.ok) throw new Error(`the download answered HTTP ${response.status}`);
      content = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw unavailable("config blob download", repository, error);
    }
    const actual = `sha256:${createHash("sha256").update(content).digest("hex")}`;
    if (actual !== digest) {
      throw new ShiplineError({
        code: "REGISTRY_UNAVAILABLE",
        message: `the config blob of ${repository} downloaded as ${actual}, not ${digest}; the download was damaged and is retried`,
        data: { repository, expected: digest, actual },
        retryable: true,
      });
    }
    return content;
  }
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

function unavailable(call: string, repository: string, error: unknown): ShiplineError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ShiplineError({
    code: "REGISTRY_UNAVAILABLE",
    message: `ECR ${call} failed for repository '${repository}' (${reason}); retried, check the function's ECR permissions if it persists`,
    data: { call, repository },
    retryable: true,
    cause: error,
  });
}
