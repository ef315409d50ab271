import type { HarborEventRequest } from "../contracts/harbor/harbor-events.js";
import type { RegistryImagePushedRequest } from "../contracts/registry/registry-image-pushed.js";

/** One event a registry reported, to publish under its registry's source. */
export type RegistryEventRequest = HarborEventRequest | RegistryImagePushedRequest;

/**
 * Port through which the webhook puts what a registry reported (Harbor's push and scan
 * notifications, images announced from a registry of kind oci) on the `shipline` bus, under the registry's own source (`shipline.harbor`, `shipline.registry`), for
 * `image-pushed` and the scan gate. Implementations validate each detail and throw a coded error
 * when an event cannot be delivered (retryable when the bus may accept it later).
 *
 * @example
 * ```ts
 * await registryEvents.publish([{ detailType: HarborDetailType.ArtifactPushed, detail }]);
 * ```
 */
export interface RegistryEventPublisher {
  /** Publishes the events, in order. */
  publish(requests: readonly RegistryEventRequest[]): Promise<void>;
}
