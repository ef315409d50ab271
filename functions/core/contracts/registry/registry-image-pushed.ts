import * as z from "zod";
import { envelopeOf } from "../event-envelope.js";
import { imageDigest, imageTag } from "../primitives.js";

/**
 * The `source` of the events the webhook publishes for images announced to it from a registry of
 * kind oci (`shipline publish`, the signed "image published" call, GitHub's package webhook). Like
 * Harbor's, they are what a registry holds, not yet a Shipline detail type: `image-pushed` reads the
 * image's labels and announces it.
 */
export const REGISTRY_SOURCE = "shipline.registry";

/** The detail type of an announced image of a registry of kind oci. */
export const REGISTRY_IMAGE_PUSHED = "Registry Image Pushed";

/** How an image of a registry of kind oci was announced to the webhook. */
export const REGISTRY_ANNOUNCERS = ["publish", "github-package"] as const;

/** Detail of `Registry Image Pushed`: an image whose digest the webhook resolved in its registry. */
export const registryImagePushedDetail = z.object({
  /** The registry's host as image references name it, e.g. `ghcr.io`; `""` for the embedded registry. */
  registry: z.string(),
  /** The repository inside the registry, e.g. `acme/api`. */
  repository: z.string().min(1),
  /** The manifest digest the tag pointed at when the webhook resolved it. */
  digest: imageDigest,
  /** The announced tag; empty for an image announced by digest. */
  tags: z.array(imageTag),
  /** Who announced it. */
  announcedBy: z.enum(REGISTRY_ANNOUNCERS),
  /** The announcement's delivery id, which `trace` follows. */
  deliveryId: z.string().min(1),
  /** When the webhook received the announcement (ISO 8601). */
  occurredAt: z.string().min(1),
});

/** `shipline.registry` / `Registry Image Pushed`. */
export const registryImagePushedEvent = envelopeOf(registryImagePushedDetail).extend({
  source: z.literal(REGISTRY_SOURCE),
  "detail-type": z.literal(REGISTRY_IMAGE_PUSHED),
});

/** Detail of a `Registry Image Pushed` event. */
export type RegistryImagePushed = z.infer<typeof registryImagePushedDetail>;
/** A `Registry Image Pushed` event. */
export type RegistryImagePushedEvent = z.infer<typeof registryImagePushedEvent>;

/** One `Registry Image Pushed` to publish (the bus adds the envelope). */
export interface RegistryImagePushedRequest {
  readonly detailType: typeof REGISTRY_IMAGE_PUSHED;
  readonly detail: RegistryImagePushed;
}
