import * as z from "zod";
import type { PutEventsRequestEntry } from "./put-events-entry.js";

/** The `X-Amz-Target` of EventBridge's PutEvents. */
export const PUT_EVENTS_TARGET = "AWSEvents.PutEvents";

/** The `X-Amz-Target` of EventBridge's TestEventPattern. */
export const TEST_EVENT_PATTERN_TARGET = "AWSEvents.TestEventPattern";

/** The content type of EventBridge's JSON protocol. */
export const AMZ_JSON = "application/x-amz-json-1.1";

const wireEntry = z.object({
  Source: z.string().optional(),
  DetailType: z.string().optional(),
  Detail: z.string().optional(),
  Resources: z.array(z.string()).optional(),
  // The SDKs send timestamps as epoch seconds; an ISO string is accepted too.
  Time: z.union([z.number(), z.string()]).optional(),
  EventBusName: z.string().optional(),
  TraceHeader: z.string().optional(),
});

/** A PutEvents request body as sent on the wire. */
export const putEventsBody = z.object({ Entries: z.array(wireEntry), EndpointId: z.string().optional() });

/** A TestEventPattern request body. */
export const testEventPatternBody = z.object({ EventPattern: z.string(), Event: z.string() });

/**
 * Turns wire entries into bus entries, converting epoch-second or ISO `Time` values; returns a
 * reason string for a `Time` that is not a time.
 *
 * @example
 * ```ts
 * const entries = toRequestEntries(putEventsBody.parse(body).Entries);
 * ```
 */
export function toRequestEntries(
  entries: z.infer<typeof putEventsBody>["Entries"],
): PutEventsRequestEntry[] | string {
  const converted: PutEventsRequestEntry[] = [];
  for (const [index, entry] of entries.entries()) {
    const { Time, ...rest } = entry;
    if (Time === undefined) {
      converted.push(rest);
      continue;
    }
    const time = typeof Time === "number" ? new Date(Time * 1000) : new Date(Time);
    if (Number.isNaN(time.getTime()))
      return `Entries[${index}].Time ${JSON.stringify(Time)} is not a timestamp`;
    converted.push({ ...rest, Time: time });
  }
  return converted;
}
