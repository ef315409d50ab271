import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { MAX_ENTRIES_PER_PUT } from "../../core/contracts/bus-entry.js";
import { harborBusEntry } from "../../core/contracts/harbor/harbor-bus-entry.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type {
  RegistryEventPublisher,
  RegistryEventRequest,
} from "../../core/ports/registry-event-publisher.js";

/**
 * The {@link RegistryEventPublisher} of AWS: `PutEvents` on the `shipline` bus, in calls of at most
 * 10 entries. An entry the bus did not accept ends in a retryable `PUBLISH_FAILED`, so that the
 * webhook answers 500 and the registry delivers its notification again.
 *
 * @example
 * ```ts
 * const registryEvents = new EventBridgeRegistryEventPublisher({ client: new EventBridgeClient({}), busName: "shipline" });
 * ```
 */
export class EventBridgeRegistryEventPublisher implements RegistryEventPublisher {
  readonly #client: EventBridgeClient;
  readonly #busName: string;

  constructor(options: { readonly client: EventBridgeClient; readonly busName: string }) {
    this.#client = options.client;
    this.#busName = options.busName;
  }

  /** Publishes the events, in order. */
  async publish(requests: readonly RegistryEventRequest[]): Promise<void> {
    const entries = requests.map((request) => harborBusEntry(request, this.#busName));
    for (let start = 0; start < entries.length; start += MAX_ENTRIES_PER_PUT) {
      const batch = entries.slice(start, start + MAX_ENTRIES_PER_PUT);
      const output = await this.#client.send(new PutEventsCommand({ Entries: batch }));
      const failed = (output.Entries ?? []).flatMap((entry, index) =>
        entry.ErrorCode
          ? [`${batch[index]?.DetailType}: ${entry.ErrorCode} ${entry.ErrorMessage ?? ""}`.trim()]
          : [],
      );
      if ((output.FailedEntryCount ?? 0) > 0 || failed.length > 0) {
        throw new ShiplineError({
          code: "PUBLISH_FAILED",
          message: `EventBridge did not accept ${failed.length || output.FailedEntryCount} registry event(s): ${failed.join("; ")}; the registry's notification is answered 500 and delivered again`,
          data: { failures: failed },
          retryable: true,
        });
      }
    }
  }
}
