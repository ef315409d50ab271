/** One image of a repository, as {@link ImageRegistry.listImagesSince} lists it. */
export interface RegistryImage {
  /** The repository name inside the registry (`demo`, `team/demo`): no host, no tag. */
  readonly repository: string;
  /** The manifest digest, `sha256:<64 hex>`. */
  readonly digest: string;
  /** The tags pointing at the image, possibly none. */
  readonly tags: readonly string[];
  /** When the registry received the image. */
  readonly pushedAt: Date;
}

/**
 * Port that reads what a container registry knows about an image: ECR (BatchGetImage, the config
 * blob, DescribeImages) on AWS, the embedded registry locally. Repository names are the registry's
 * own (ECR's `repository-name`), never a full reference with a host.
 *
 * Implementations throw a retryable ShiplineError when the registry cannot be reached or throttles,
 * and answer `undefined` (labels) or an empty list (images) for a repository or image that does not
 * exist, since an image may be deleted between its push and the moment it is looked at.
 *
 * @example
 * ```ts
 * const labels = await registry.getImageLabels("demo", "sha256:0123...");
 * const revision = labels?.["org.opencontainers.image.revision"];
 * const recent = await registry.listImagesSince("demo", new Date("2026-03-01T12:00:00Z"));
 * ```
 */
export interface ImageRegistry {
  /**
   * The labels of an image's config (`config.Labels`), or `undefined` when the image is gone. For an
   * index (multi-platform image) the labels of its first image manifest are read, since every
   * platform of one build carries the same revision. An image without labels answers `{}`.
   */
  getImageLabels(repository: string, digest: string): Promise<Readonly<Record<string, string>> | undefined>;
  /**
   * The images of a repository pushed at or after `since` (every image when `since` is undefined),
   * oldest first (ties in digest order). A repository that does not exist has no images.
   */
  listImagesSince(repository: string, since: Date | undefined): Promise<RegistryImage[]>;
}
