import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { FunctionUrlResponse } from "../core/contracts/aws/function-url-request.js";
import { REGISTRY_IMAGE_PUSHED } from "../core/contracts/registry/registry-image-pushed.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import type { RegistryEventPublisher } from "../core/ports/registry-event-publisher.js";
import type { RegistryReader } from "../core/ports/registry-reader.js";
import { type AnnouncedImage, describeAnnouncedImage } from "../core/webhook/announced-image.js";
import type { ImageClassification } from "../core/webhook/webhook-classification.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { jsonAnswer } from "./shared/json-answer.js";
import { claimDelivery } from "./webhook-push-once.js";

/** A registry of kind oci as the webhook reads it. */
export interface AnnouncedRegistry {
  /** Whether an app's image lives in this repository of the registry. */
  readonly repositories: (repository: string) => boolean;
  /** Reads the registry's manifests, with the account of its `credentials`. */
  readonly reader: RegistryReader;
}

/** What the webhook needs to take announced images (`shipline publish`, GitHub's package webhook). */
export interface ImageAnnouncementDeps {
  /** The publish secret(s) the "image published" call is signed with (not the git hosts' secret). */
  readonly secrets: { values(): Promise<readonly string[]> };
  /** The registry of kind oci of a host, as image references name it; undefined for any other host. */
  readonly registryOf: (host: string) => AnnouncedRegistry | undefined;
  /** Puts `Registry Image Pushed` on the bus. */
  readonly events: RegistryEventPublisher;
}

/** Metric names of announced images, one per request (beside the webhook's own). */
const Metric = {
  Published: "WebhookPublished",
  Replayed: "WebhookReplayed",
  Refused: "WebhookRejected",
} as const;

/**
 * Answers an announced image: resolved in its registry and published as `Registry Image Pushed`
 * (202, with the digest), or refused with the reason and nothing published: 422 a host that is no
 * registry of kind oci of the configuration, 404 a repository no app's image lives in, a tag or
 * digest the registry does not have, 409 a tag that points at another digest than announced, 502 a
 * registry that cannot be read now (the announcer may send it again), 424 a registry that refuses
 * the read for good (its account, content that does not match its digest). A delivery published
 * before is answered 202 and publishes nothing. A bus fault is thrown, for the
 * caller's 500.
 *
 * @example
 * ```ts
 * if (result.kind === "image") return respondToImage({ deps, images, classification: result });
 * ```
 */
export async function respondToImage(options: {
  readonly deps: StepDeps;
  /** Holds the deliveries already published (table `idempotency`), as for pushes. */
  readonly store: DocumentStore;
  readonly images: ImageAnnouncementDeps | undefined;
  readonly classification: ImageClassification;
}): Promise<FunctionUrlResponse> {
  const { deps, store, classification } = options;
  const { image, deliveryId } = classification;
  const named = describeAnnouncedImage(image);
  // A delivery is published once: a replay (the same signed call within its 5 minutes, a GitHub
  // redelivery) is answered 202 and publishes nothing. One refused before publishing may be sent
  // again once the image is there.
  const delivery = await claimDelivery({ store, clock: deps.clock, deliveryKey: classification.deliveryKey });
  if (delivery === "replayed") {
    deps.metrics.addMetric(Metric.Replayed, MetricUnit.Count, 1);
    deps.logger.info("Announced image replayed; it was published before", { image: named, deliveryId });
    return jsonAnswer(202, "delivery already published", { deliveryId });
  }
  const registry = options.images?.registryOf(image.host);
  if (registry === undefined) {
    return refuse(
      deps,
      422,
      `${image.host} is not a registry of the configuration; add registries: - { kind: oci, url: https://${image.host} } to announce its images`,
      named,
    );
  }
  if (!registry.repositories(image.repository)) {
    return refuse(
      deps,
      404,
      `no app's image.repository is ${image.host}/${image.repository}; nothing was published`,
      named,
    );
  }
  let digest: string;
  try {
    const resolved = await resolve(registry.reader, image);
    if ("refused" in resolved) return refuse(deps, resolved.status, resolved.refused, named);
    digest = resolved.digest;
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    // Denied credentials or content that does not match its digest stay so: sending again is no fix.
    return error.retryable
      ? refuse(
          deps,
          502,
          `${image.host} could not be read (${error.code}): ${error.message}; announce the image again once it answers`,
          named,
        )
      : refuse(
          deps,
          424,
          `${image.host} refused the read (${error.code}): ${error.message}; fix the registry's account (registries[].credentials) or the image, then announce it again`,
          named,
        );
  }
  await options.images?.events.publish([
    {
      detailType: REGISTRY_IMAGE_PUSHED,
      detail: {
        registry: image.host,
        repository: image.repository,
        digest,
        tags: image.tag === undefined ? [] : [image.tag],
        announcedBy: image.announcedBy,
        deliveryId,
        occurredAt: deps.clock.now().toISOString(),
      },
    },
  ]);
  await delivery.markPublished();
  deps.metrics.addMetric(Metric.Published, MetricUnit.Count, 1);
  deps.logger.info("Announced image published", { image: named, digest, deliveryId, by: image.announcedBy });
  const tag = image.tag === undefined ? "" : `:${image.tag}`;
  return jsonAnswer(202, `${image.host}/${image.repository}${tag} announced as ${digest}`, {
    digest,
    deliveryId,
  });
}

async function resolve(
  reader: RegistryReader,
  image: AnnouncedImage,
): Promise<{ readonly digest: string } | { readonly refused: string; readonly status: 404 | 409 }> {
  const where = `${image.host}/${image.repository}`;
  if (image.tag === undefined) {
    const digest = image.digest ?? "";
    const manifest = await reader.getManifest(image.repository, digest);
    return manifest === undefined
      ? { refused: `${where} has no image ${digest}; push it before announcing it`, status: 404 }
      : { digest: manifest.digest };
  }
  const digest = await reader.resolveTag(image.repository, image.tag);
  if (digest === undefined) {
    return { refused: `${where} has no tag ${image.tag}; push it before announcing it`, status: 404 };
  }
  if (image.digest !== undefined && image.digest !== digest) {
    return {
      refused: `${where}:${image.tag} points at ${digest}, not the announced ${image.digest}; the tag moved or another image was pushed: announce what was pushed`,
      status: 409,
    };
  }
  return { digest };
}

function refuse(deps: StepDeps, status: number, reason: string, image: string): FunctionUrlResponse {
  deps.metrics.addMetric(Metric.Refused, MetricUnit.Count, 1);
  deps.logger.warn("Announced image refused", { status, reason, image });
  return jsonAnswer(status, reason);
}
