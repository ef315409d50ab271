import type { DocumentStore, StoreKey } from "../ports/document-store.js";
import { imagePartition, KNOWN_IMAGES_TABLE } from "./known-image.js";

/** The sort key of an image's refusal within its partition of {@link KNOWN_IMAGES_TABLE}. */
export const REFUSED_IMAGE_SK = "refused";

/**
 * The key of the record of an image its app's acceptance policy refused: `{ pk:
 * "image#<repository>@<digest>", sk: "refused" }`. The image stays unknown (the scan gate never
 * judges it); the record keeps a redelivered event or the sweep from refusing it twice.
 *
 * @example
 * ```ts
 * await store.put(KNOWN_IMAGES_TABLE, refusedImageKey("demo", digest), detail);
 * ```
 */
export function refusedImageKey(repository: string, digest: string): StoreKey {
  return { pk: imagePartition(repository, digest), sk: REFUSED_IMAGE_SK };
}

/**
 * Whether an image was refused already (see {@link refusedImageKey}).
 *
 * @example
 * ```ts
 * if (await wasRefused({ store, repository: "demo", digest })) return { kind: "duplicate" };
 * ```
 */
export async function wasRefused(options: {
  readonly store: DocumentStore;
  readonly repository: string;
  readonly digest: string;
}): Promise<boolean> {
  const record = await options.store.get(
    KNOWN_IMAGES_TABLE,
    refusedImageKey(options.repository, options.digest),
  );
  return record !== undefined;
}
