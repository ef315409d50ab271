import type { ImageValue } from "./manifest-edit.js";

/** An image reference split into its parts. */
export interface ImageReference {
  /** Registry host (with port) and path, such as `ghcr.io/team/app`. */
  readonly repository: string;
  /** The tag, if the reference has one. */
  readonly tag?: string;
  /** The digest, if the reference has one. */
  readonly digest?: string;
}

/**
 * Splits `repository[:tag][@digest]`. The tag is after the last `:` that follows the last `/`,
 * so a registry port (`localhost:5000/app`) is not mistaken for a tag.
 *
 * @example
 * ```ts
 * parseImageReference("localhost:5000/app:v1@sha256:ab12..."); // { repository: "localhost:5000/app", tag: "v1", digest: "sha256:ab12..." }
 * ```
 */
export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf("@");
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const named = at === -1 ? reference : reference.slice(0, at);
  const colon = named.lastIndexOf(":");
  const hasTag = colon > named.lastIndexOf("/");
  const repository = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon + 1) : undefined;
  return {
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/**
 * Writes `repository[:tag][@digest]`.
 *
 * @example
 * ```ts
 * formatImageReference({ repository: "ghcr.io/team/app", tag: "v2" }); // "ghcr.io/team/app:v2"
 * ```
 */
export function formatImageReference(reference: ImageReference): string {
  const tag = reference.tag === undefined ? "" : `:${reference.tag}`;
  const digest = reference.digest === undefined ? "" : `@${reference.digest}`;
  return `${reference.repository}${tag}${digest}`;
}

/**
 * The reference a `reference` edit writes over `current`: each given part replaces the current
 * one; a new tag without a new digest drops the current digest (it pinned the old tag's image);
 * a new digest alone keeps the current tag.
 *
 * @example
 * ```ts
 * updateImageReference("ghcr.io/app:v1@sha256:aaa...", { tag: "v2" }); // "ghcr.io/app:v2"
 * ```
 */
export function updateImageReference(current: string, image: ImageValue): string {
  const parsed = parseImageReference(current);
  const tag = image.tag ?? parsed.tag;
  const digest = image.digest ?? (image.tag === undefined ? parsed.digest : undefined);
  return formatImageReference({
    repository: image.repository ?? parsed.repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  });
}
