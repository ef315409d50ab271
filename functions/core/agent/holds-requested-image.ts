import { parseImageReference } from "../manifest/image-reference.js";
import type { ArgoCdApplication } from "./argocd-application.js";

/** The image a sync request deploys, as `Sync Requested` names it. */
export interface RequestedImage {
  readonly tag?: string | undefined;
  readonly digest?: string | undefined;
}

/**
 * Whether the application still runs the image a request deploys, judged from Argo CD's
 * `status.summary.images` (the images of its live resources): one of them has the request's tag
 * (`…:<tag>`, `…:<tag>@<digest>`) or its digest (`…@<digest>`). Undefined when the request names
 * neither, so nothing can be told from the images.
 *
 * In a config repository shared by several apps the branch moves on with other apps' commits: the
 * application is then Synced at a later commit, and this tells whether that commit still deploys
 * the request's image (the request is verified there) or a newer one of the same app (the request
 * is superseded).
 *
 * @example
 * ```ts
 * holdsRequestedImage(application, { tag: "1.0.0-0123456" }); // true when "…/demo:1.0.0-0123456" runs
 * ```
 */
export function holdsRequestedImage(
  application: ArgoCdApplication,
  image: RequestedImage,
): boolean | undefined {
  const { tag, digest } = image;
  if (tag === undefined && digest === undefined) return undefined;
  return (application.status?.summary?.images ?? []).some((reference) => {
    const running = parseImageReference(reference);
    return (tag !== undefined && running.tag === tag) || (digest !== undefined && running.digest === digest);
  });
}
