import { ShiplineError } from "../errors/shipline-error.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import { SHIPLINE_BUS_NAME, SHIPLINE_SOURCE } from "./detail-type.js";
import { parseDetail } from "./parse-detail.js";

/** The largest PutEvents entry EventBridge accepts, in bytes. */
export const MAX_ENTRY_BYTES = 256 * 1024;

/** The most entries one PutEvents call takes. */
export const MAX_ENTRIES_PER_PUT = 10;

/** A PutEvents request entry, shaped as the EventBridge API takes it. */
export interface BusEntry {
  readonly Source: string;
  readonly DetailType: string;
  /** The detail as a JSON string. */
  readonly Detail: string;
  readonly Resources?: string[];
  readonly Time?: Date;
  readonly EventBusName?: string;
}

/**
 * The size EventBridge charges an entry against the 256 KB limit: 14 bytes for Time, plus the
 * UTF-8 bytes of Source, DetailType, Detail and every resource.
 *
 * @example
 * ```ts
 * if (entrySize(entry) > MAX_ENTRY_BYTES) throw ...
 * ```
 */
export function entrySize(entry: Pick<BusEntry, "Source" | "DetailType" | "Detail" | "Resources">): number {
  let size = 14;
  size += Buffer.byteLength(entry.Source, "utf8");
  size += Buffer.byteLength(entry.DetailType, "utf8");
  size += Buffer.byteLength(entry.Detail, "utf8");
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource, "utf8");
  return size;
}

/**
 * Validates a publish request against its contract and turns it into a bus entry. Throws a
 * permanent `EVENT_INVALID` error for a bad detail and `EVENT_TOO_LARGE` for an entry over 256 KB.
 *
 * @example
 * ```ts
 * const entry = toBusEntry({ detailType: DetailType.BuildStarted, detail }, "shipline");
 * ```
 */
export function toBusEntry(request: PublishRequest, busName: string = SHIPLINE_BUS_NAME): BusEntry {
  const detail = parseDetail(request.detailType, request.detail);
  const entry: BusEntry = {
    Source: SHIPLINE_SOURCE,
    DetailType: request.detailType,
    Detail: JSON.stringify(detail),
    Resources: [...(request.resources ?? [])],
    Time: request.time ?? new Date(),
    EventBusName: busName,
  };
  const size = entrySize(entry);
  if (size > MAX_ENTRY_BYTES) {
    throw new ShiplineError({
      code: "EVENT_TOO_LARGE",
      message: `${request.detailType} event is ${size} bytes, over EventBridge's ${MAX_ENTRY_BYTES}-byte limit; trim the detail (e.g. fewer commits or findings) before publishing`,
      data: { detailType: request.detailType, size, limit: MAX_ENTRY_BYTES },
      retryable: false,
    });
  }
  return entry;
}
