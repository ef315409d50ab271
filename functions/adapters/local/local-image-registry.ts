import { labelsOfImageConfig, readImageDocument } from "../../core/images/image-documents.js";
import type { ImageRegistry, RegistryImage } from "../../core/ports/image-registry.js";
import type { LocalRegistry } from "../../local/registry/local-registry.js";

/** The part of the local registry the adapter reads. */
export type LocalRegistryReader = Pick<LocalRegistry, "getManifest" | "getBlob" | "listImages">;

/**
 * The {@link ImageRegistry} of the local runtime, reading the embedded registry's store through its
 * API: the manifest (an index is followed to its first platform image), then the config blob for
 * the labels; the listing is the registry's own, with each digest's first push time.
 *
 * @example
 * ```ts
 * const registry = new LocalImageRegistry(await startLocalRegistry({ dataDir }));
 * const labels = await registry.getImageLabels("demo", digest);
 * ```
 */
export class LocalImageRegistry implements ImageRegistry {
  constructor(private readonly registry: LocalRegistryReader) {}

  async getImageLabels(
    repository: string,
    digest: string,
  ): Promise<Readonly<Record<string, string>> | undefined> {
    const stored = await this.registry.getManifest(repository, digest);
    if (stored === undefined) return undefined;
    let document = readImageDocument(stored.content.toString("utf8"));
    if (document.kind === "index") {
      if (document.manifestDigest === undefined) return {};
      const platform = await this.registry.getManifest(repository, document.manifestDigest);
      if (platform === undefined) return undefined;
      document = readImageDocument(platform.content.toString("utf8"));
      if (document.kind === "index") return {};
    }
    const config = await this.registry.getBlob(document.configDigest);
    return config === undefined ? undefined : labelsOfImageConfig(config);
  }

  async listImagesSince(repository: string, since: Date | undefined): Promise<RegistryImage[]> {
    const images = await this.registry.listImages(repository);
    return images
      .filter((image) => since === undefined || image.pushedAt.getTime() >= since.getTime())
      .map((image) => ({ repository, digest: image.digest, tags: image.tags, pushedAt: image.pushedAt }));
  }
}
