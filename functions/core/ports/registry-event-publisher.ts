import type { HarborEventRequest } from "../contracts/harbor/harbor-events.js";

/**
 * Port through which the webhook puts what a registry reported (Harbor's push and scan
 * notifications) on the `shipline` bus, under the registry's own source (`shipline.harbor`), for
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
  publish(requests: readonly HarborEventRequest[]): Promise<void>;
}
