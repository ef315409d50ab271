import * as z from "zod";
import { imageRef } from "../contracts/detail-base.js";
import type { ImagePushed } from "../contracts/events/image-pushed.js";
import { gitSha, isoTime, resourceName } from "../contracts/primitives.js";
import type { DocumentStore, StoreKey } from "../ports/document-store.js";

/** The {@link DocumentStore} table that holds what Shipline knows about each image. */
export const KNOWN_IMAGES_TABLE = "images";

/** The sort key of an image's own record within its partition. */
export const KNOWN_IMAGE_SK = "image";

/**
 * The partition of one image in {@link KNOWN_IMAGES_TABLE}: `image#<repository>@<digest>`. The
 * partition also holds the scan gate's records of that image (its verdict, early scan results).
 *
 * @example
 * ```ts
 * imagePartition("demo", "sha256:0123..."); // "image#demo@sha256:0123..."
 * ```
 */
export function imagePartition(repository: string, digest: string): string {
  return `image#${repository}@${digest}`;
}

/**
 * The key of an image's record: `{ pk: "image#<repository>@<digest>", sk: "image" }`.
 *
 * @example
 * ```ts
 * await store.put(KNOWN_IMAGES_TABLE, knownImageKey(image.repository, image.digest), image);
 * ```
 */
export function knownImageKey(repository: string, digest: string): StoreKey {
  return { pk: imagePartition(repository, digest), sk: KNOWN_IMAGE_SK };
}

/**
 * An image Shipline knows: `image-pushed` writes one when it publishes `Image Pushed`, and the scan
 * gate only judges images that have one. `repository` is the repository name as the registry's
 * events give it (ECR's `repository-name`: no registry host, no tag).
 */
export const knownImage = imageRef.extend({
  app: resourceName,
  commit: gitSha,
  correlationId: z.string().min(1).max(256),
  imageUri: z.string().min(1).optional(),
  /** When the image was pushed (or first noticed); the scan timeout counts from it. */
  pushedAt: isoTime,
});

/** A record of {@link knownImage}. */
export type KnownImage = z.infer<typeof knownImage>;

/**
 * The record `image-pushed` writes for an image it announces.
 *
 * @example
 * ```ts
 * const image = knownImageOf(detail, clock.now());
 * await store.put(KNOWN_IMAGES_TABLE, knownImageKey(image.repository, image.digest), image);
 * ```
 */
export function knownImageOf(
  detail: Pick<
    ImagePushed,
    "app" | "commit" | "correlationId" | "repository" | "tag" | "digest" | "imageUri"
  >,
  pushedAt: Date,
): KnownImage {
  return knownImage.parse({
    app: detail.app,
    commit: detail.commit,
    correlationId: detail.correlationId,
    repository: detail.repository,
    tag: detail.tag,
    digest: detail.digest,
    ...(detail.imageUri === undefined ? {} : { imageUri: detail.imageUri }),
    pushedAt: pushedAt.toISOString(),
  });
}

/**
 * Reads the record of an image, or undefined when Shipline does not know it. A record that does not
 * follow {@link knownImage} is read as unknown rather than trusted.
 *
 * @example
 * ```ts
 * const image = await readKnownImage({ store, repository: "demo", digest });
 * if (!image) return; // not an image of Shipline's
 * ```
 */
export async function readKnownImage(options: {
  readonly store: DocumentStore;
  readonly repository: string;
  readonly digest: string;
}): Promise<KnownImage | undefined> {
  const { store, repository, digest } = options;
  const raw = await store.get(KNOWN_IMAGES_TABLE, knownImageKey(repository, digest));
  if (raw === undefined) return undefined;
  const parsed = knownImage.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
