import { entrySize, MAX_ENTRY_BYTES } from "../../core/contracts/bus-entry.js";
import { isJsonObject } from "../../core/event-pattern/json-value.js";

/** One PutEvents request entry as the EventBridge API takes it (every field optional on the wire). */
export interface PutEventsRequestEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  /** The detail as a JSON object string. */
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  readonly Time?: Date;
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
}

/** The result of one entry: an `EventId`, or an `ErrorCode` and `ErrorMessage`. */
export interface PutEventsResultEntry {
  readonly EventId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

/** The PutEvents response: one result per entry, in request order. */
export interface PutEventsResponse {
  readonly FailedEntryCount: number;
  readonly Entries: PutEventsResultEntry[];
}

/** An entry that passed validation, with its detail parsed. */
export interface AcceptedEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly resources: readonly string[];
  readonly time: Date | undefined;
}

/** What the local bus accepts from a caller. */
export interface EntryPolicy {
  /** Bus names (or the last part of bus ARNs) that this local bus answers to. */
  readonly busNames: ReadonlySet<string>;
  /** True for local AWS-service emitters (registry, builder), which may use `aws.*` sources. */
  readonly allowAwsSource: boolean;
}

/**
 * Validates one PutEvents entry as EventBridge does and returns either the accepted entry or the
 * per-entry error (`InvalidArgument`, `MalformedDetail`, `NotAuthorizedForSourceException`).
 *
 * @example
 * ```ts
 * const checked = checkEntry(entry, { busNames: new Set(["default"]), allowAwsSource: false });
 * if ("ErrorCode" in checked) results.push(checked);
 * ```
 */
export function checkEntry(
  entry: PutEventsRequestEntry,
  policy: EntryPolicy,
): AcceptedEntry | Required<Omit<PutEventsResultEntry, "EventId">> {
  for (const field of ["Source", "DetailType", "Detail"] as const) {
    const value = entry[field];
    if (value === undefined || value === "") {
      return invalid(`Parameter ${field} is not valid. Reason: ${field} is a required argument.`);
    }
  }
  const source = entry.Source ?? "";
  const detailType = entry.DetailType ?? "";
  const detailText = entry.Detail ?? "";
  const busName = busNameOf(entry.EventBusName);
  if (!policy.busNames.has(busName)) {
    return invalid(
      `Event bus ${entry.EventBusName} does not exist on the local bus; use one of ${[...policy.busNames].join(", ")}.`,
    );
  }
  const detail = parseDetail(detailText);
  if (!detail) {
    return {
      ErrorCode: "MalformedDetail",
      ErrorMessage: "Detail is malformed: it must be a JSON object string.",
    };
  }
  if (source.startsWith("aws.") && !policy.allowAwsSource) {
    return {
      ErrorCode: "NotAuthorizedForSourceException",
      ErrorMessage: `Not authorized for the source "${source}": custom events must not use a source starting with "aws.".`,
    };
  }
  const resources = entry.Resources ?? [];
  const size = entrySize({
    Source: source,
    DetailType: detailType,
    Detail: detailText,
    Resources: [...resources],
  });
  if (size > MAX_ENTRY_BYTES) {
    return invalid(`Entry size ${size} bytes exceeds the ${MAX_ENTRY_BYTES}-byte limit; shrink the Detail.`);
  }
  return { source, detailType, detail, resources, time: entry.Time };
}

function invalid(message: string): { ErrorCode: string; ErrorMessage: string } {
  return { ErrorCode: "InvalidArgument", ErrorMessage: message };
}

function busNameOf(name: string | undefined): string {
  if (name === undefined || name === "") return "default";
  const arn = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(name);
  return arn?.[1] ?? name;
}

function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
