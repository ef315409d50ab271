import { MAX_ENTRIES_PER_PUT, toBusEntry } from "../../core/contracts/bus-entry.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { EventPublisher, PublishRequest, PublishResult } from "../../core/ports/event-publisher.js";
import type { PutEventsRequestEntry, PutEventsResponse } from "../../local/bus/put-events-entry.js";

/** The part of the local bus a publisher needs. */
export interface LocalBusPort {
  putEvents(entries: readonly PutEventsRequestEntry[]): Promise<PutEventsResponse>;
}

/**
 * The {@link EventPublisher} of the local runtime: validates each detail against its contract
 * (`toBusEntry`), puts the entries on the local bus in batches of 10, and throws
 * `EVENT_PUBLISH_FAILED` naming every refused entry.
 *
 * @example
 * ```ts
 * const publisher = new LocalEventPublisher(bus);
 * await publisher.publish([{ detailType: DetailType.BuildStarted, detail }]);
 * ```
 */
export class LocalEventPublisher implements EventPublisher {
  constructor(private readonly bus: LocalBusPort) {}

  async publish(requests: readonly PublishRequest[]): Promise<PublishResult[]> {
    const entries = requests.map((request) => toBusEntry(request));
    const results: PublishResult[] = [];
    for (let start = 0; start < entries.length; start += MAX_ENTRIES_PER_PUT) {
      const batch = entries.slice(start, start + MAX_ENTRIES_PER_PUT);
      const response = await this.bus.putEvents(batch);
      const failures = response.Entries.flatMap((result, index) =>
        result.EventId ? [] : [`${batch[index]?.DetailType}: ${result.ErrorCode} ${result.ErrorMessage}`],
      );
      if (failures.length > 0) {
        throw new ShiplineError({
          code: "EVENT_PUBLISH_FAILED",
          message: `The local bus refused ${failures.length} event(s): ${failures.join("; ")}`,
          data: { failures },
          retryable: false,
        });
      }
      for (const result of response.Entries) results.push({ eventId: result.EventId ?? "" });
    }
    return results;
  }
}
