import type { REGISTRY_ANNOUNCERS } from "../contracts/registry/registry-image-pushed.js";

/**
 * An image a CI or a registry announced to the webhook, as the announcement names it: the webhook
 * resolves it in its registry (the tag's digest, or that the digest exists) before publishing it.
 */
export interface AnnouncedImage {
  /** The registry host as the reference names it (`ghcr.io`, `127.0.0.1:5000`). */
  readonly host: string;
  /** The repository inside the registry (`acme/api`). */
  readonly repository: string;
  /** The announced tag; absent for an image announced by digest only. */
  readonly tag?: string;
  /** The digest the announcer says it pushed; when a tag is given too, the tag must point at it. */
  readonly digest?: string;
  /** Who announced it. */
  readonly announcedBy: (typeof REGISTRY_ANNOUNCERS)[number];
}

/** `ghcr.io/acme/api:1.4.2`, `ghcr.io/acme/api@sha256:…` or both, for messages. */
export function describeAnnouncedImage(image: AnnouncedImage): string {
  const tag = image.tag === undefined ? "" : `:${image.tag}`;
  const digest = image.digest === undefined ? "" : `@${image.digest}`;
  return `${image.host}/${image.repository}${tag}${digest}`;
}
