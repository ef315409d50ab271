import type { ImageRegistry, RegistryImage } from "../../core/ports/image-registry.js";
import type { HarborApiClient } from "./harbor-api-client.js";

/**
 * The {@link ImageRegistry} of a Harbor: an image's labels (its revision label among them) and a
 * repository's artifacts, read through Harbor's API with the robot account.
 *
 * @example
 * ```ts
 * const registry = new HarborImageRegistry(new HarborApiClient({ baseUrl, credentials }));
 * const labels = await registry.getImageLabels("shop/api", digest);
 * ```
 */
export class HarborImageRegistry implements ImageRegistry {
  constructor(private readonly harbor: Pick<HarborApiClient, "artifactLabels" | "listArtifacts">) {}

  /** The artifact's config labels, or `undefined` when Harbor no longer has it. */
  getImageLabels(repository: string, digest: string): Promise<Readonly<Record<string, string>> | undefined> {
    return this.harbor.artifactLabels(repository, digest);
  }

  /** The repository's artifacts pushed at or after `since`, oldest first. */
  listImagesSince(repository: string, since: Date | undefined): Promise<RegistryImage[]> {
    return this.harbor.listArtifacts(repository, since);
  }
}
