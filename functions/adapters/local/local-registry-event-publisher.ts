import { harborBusEntry } from "../../core/contracts/harbor/harbor-bus-entry.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type {
  RegistryEventPublisher,
  RegistryEventRequest,
} from "../../core/ports/registry-event-publisher.js";
import type { LocalBusPort } from "./local-event-publisher.js";

/**
 * The {@link RegistryEventPublisher} of the local runtime: the same entries as on AWS, put on the
 * local bus, which routes them with the same rules.
 *
 * @example
 * ```ts
 * const registryEvents = new LocalRegistryEventPublisher(platform.bus);
 * ```
 */
export class LocalRegistryEventPublisher implements RegistryEventPublisher {
  constructor(private readonly bus: LocalBusPort) {}

  /** Publishes the events, in order. */
  async publish(requests: readonly RegistryEventRequest[]): Promise<void> {
    const entries = requests.map((request) => harborBusEntry(request, "shipline"));
    const response = await this.bus.putEvents(entries);
    const failures = response.Entries.flatMap((result, index) =>
      result.EventId ? [] : [`${entries[index]?.DetailType}: ${result.ErrorCode} ${result.ErrorMessage}`],
    );
    if (failures.length > 0) {
      throw new ShiplineError({
        code: "EVENT_PUBLISH_FAILED",
        message: `The local bus refused ${failures.length} registry event(s): ${failures.join("; ")}`,
        data: { failures },
        retryable: false,
      });
    }
  }
}
