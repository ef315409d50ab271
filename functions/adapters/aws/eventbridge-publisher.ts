import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from "@aws-sdk/client-eventbridge";
import { type BusEntry, MAX_ENTRIES_PER_PUT, toBusEntry } from "../../core/contracts/bus-entry.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { EventPublisher, PublishRequest, PublishResult } from "../../core/ports/event-publisher.js";

/**
 * Entry error codes EventBridge documents as not retryable (PutEventsResultEntry): sending the same
 * entry again gives the same answer, so they are not retried here. Every other code, including
 * `InternalFailure`, `ThrottlingException` and codes EventBridge may add later, is treated as
 * transient: an event that might still be delivered is retried rather than dropped.
 */
export const PERMANENT_ENTRY_ERRORS: ReadonlySet<string> = new Set([
  "AccessDeniedException",
  "InvalidAccountIdException",
  "InvalidArgument",
  "MalformedDetail",
  "RedactionFailure",
  "NotAuthorizedForSourceException",
  "NotAuthorizedForDetailTypeException",
]);

/** Options of {@link EventBridgePublisher}. */
export interface EventBridgePublisherOptions {
  /** The EventBridge client, created once per cold start. */
  readonly client: EventBridgeClient;
  /** Name or ARN of the bus to publish to. */
  readonly busName: string;
  /**
   * How many times one entry is sent at most while it keeps failing transiently.
   * @default 4
   */
  readonly maxAttempts?: number;
  /**
   * Ceiling of the first backoff, in milliseconds; it doubles after each attempt.
   * @default 100
   */
  readonly baseDelayMs?: number;
  /**
   * Largest backoff ceiling, in milliseconds.
   * @default 2000
   */
  readonly maxDelayMs?: number;
  /** Waits between attempts. @default - a timer */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** A number in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
}

/** An entry that was not accepted, with EventBridge's reason. */
interface EntryFailure {
  readonly index: number;
  readonly detailType: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/**
 * Publishes Shipline events on an EventBridge bus with `PutEvents`.
 *
 * Every detail is checked against its contract and the 256 KB entry limit before anything is sent
 * (a bad one throws `EVENT_INVALID` / `EVENT_TOO_LARGE` and nothing is published). Entries go out in
 * calls of at most 10, in request order. When a call reports failed entries, only those are sent
 * again, with exponential backoff and full jitter, up to `maxAttempts` sends per entry. Entries that
 * still fail transiently end in a retryable `PUBLISH_FAILED`, so Lambda retries the invocation and
 * finally dead-letters it; entries refused with a permanent code (see
 * {@link PERMANENT_ENTRY_ERRORS}) end in a non-retryable `PUBLISH_FAILED` at once. The first call that
 * cannot be completed stops the batch: later entries are not sent. A failed `PutEvents` call
 * itself (after the SDK's own retries) is a retryable `PUBLISH_FAILED`. Events accepted before a
 * failure may be published again when the invocation is retried; consumers are idempotent.
 *
 * @example
 * ```ts
 * const publisher = new EventBridgePublisher({ client: new EventBridgeClient({}), busName: "shipline" });
 * const [result] = await publisher.publish([{ detailType: DetailType.BuildStarted, detail }]);
 * logger.info("published", { eventId: result?.eventId });
 * ```
 */
export class EventBridgePublisher implements EventPublisher {
  readonly #client: EventBridgeClient;
  readonly #busName: string;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #sleep: (milliseconds: number) => Promise<void>;
  readonly #random: () => number;

  constructor(options: EventBridgePublisherOptions) {
    const maxAttempts = options.maxAttempts ?? 4;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new ShiplineError({
        code: "CONFIG_INVALID",
        message: `EventBridgePublisher maxAttempts must be a whole number of at least 1, got ${maxAttempts}`,
        data: { maxAttempts },
      });
    }
    this.#client = options.client;
    this.#busName = options.busName;
    this.#maxAttempts = maxAttempts;
    this.#baseDelayMs = options.baseDelayMs ?? 100;
    this.#maxDelayMs = options.maxDelayMs ?? 2000;
    this.#sleep =
      options.sleep ?? ((milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
    this.#random = options.random ?? Math.random;
  }

  /** Publishes the events in order; resolves with their event ids, in request order. */
  async publish(requests: readonly PublishRequest[]): Promise<PublishResult[]> {
    const entries = requests.map((request) => toBusEntry(request, this.#busName));
    const eventIds: string[] = [];
    for (let start = 0; start < entries.length; start += MAX_ENTRIES_PER_PUT) {
      const batch = entries.slice(start, start + MAX_ENTRIES_PER_PUT);
      const ids = await this.#putBatch(batch, start);
      eventIds.push(...ids);
    }
    return eventIds.map((eventId) => ({ eventId }));
  }

  /** Sends one batch of at most 10 entries until each has an event id; `offset` is its first index. */
  async #putBatch(batch: readonly BusEntry[], offset: number): Promise<string[]> {
    const eventIds: string[] = [];
    let pending = batch.map((entry, position) => ({ entry, position }));
    let failures: EntryFailure[] = [];
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      if (attempt > 1) await this.#sleep(this.#backoff(attempt - 1));
      const results = await this.#send(pending.map(({ entry }) => toRequestEntry(entry)));
      const unsent: typeof pending = [];
      failures = [];
      pending.forEach((item, sent) => {
        const result = results[sent];
        if (result?.EventId && !result.ErrorCode) {
          eventIds[item.position] = result.EventId;
          return;
        }
        unsent.push(item);
        failures.push({
          index: offset + item.position,
          detailType: item.entry.DetailType,
          errorCode: result?.ErrorCode ?? "MissingResult",
          errorMessage: result?.ErrorMessage ?? "EventBridge returned no result for this entry",
        });
      });
      if (failures.length === 0) return eventIds;
      const permanent = failures.some((failure) => PERMANENT_ENTRY_ERRORS.has(failure.errorCode));
      if (permanent) throw publishFailed(failures, attempt, false);
      pending = unsent;
    }
    throw publishFailed(failures, this.#maxAttempts, true);
  }

  async #send(entries: PutEventsRequestEntry[]): Promise<PutEventsResultEntry[]> {
    try {
      const output = await this.#client.send(new PutEventsCommand({ Entries: entries }));
      return output.Entries ?? [];
    } catch (error) {
      const name = error instanceof Error ? error.name : "UnknownError";
      throw new ShiplineError({
        code: "PUBLISH_FAILED",
        message: `PutEvents to bus '${this.#busName}' failed with ${name}: ${error instanceof Error ? error.message : String(error)}; the invocation is retried`,
        data: { bus: this.#busName, errorCodes: [name], entries: entries.length },
        retryable: true,
        cause: error,
      });
    }
  }

  /** Full jitter: a random wait up to base * 2^(retry - 1), capped at maxDelayMs. */
  #backoff(retry: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (retry - 1));
    return Math.floor(this.#random() * ceiling);
  }
}

function toRequestEntry(entry: BusEntry): PutEventsRequestEntry {
  return {
    Source: entry.Source,
    DetailType: entry.DetailType,
    Detail: entry.Detail,
    Resources: entry.Resources ? [...entry.Resources] : undefined,
    Time: entry.Time,
    EventBusName: entry.EventBusName,
  };
}

function publishFailed(
  failures: readonly EntryFailure[],
  attempts: number,
  retryable: boolean,
): ShiplineError {
  const errorCodes = [...new Set(failures.map((failure) => failure.errorCode))];
  const listed = failures
    .map(
      (failure) => `#${failure.index} ${failure.detailType}: ${failure.errorCode} (${failure.errorMessage})`,
    )
    .join("; ");
  const next = retryable
    ? "the invocation is retried, then dead-lettered"
    : "EventBridge refuses these entries: check the function's events:PutEvents permission and the bus";
  return new ShiplineError({
    code: "PUBLISH_FAILED",
    message: `${failures.length} event(s) not accepted by EventBridge after ${attempts} attempt(s), error codes ${errorCodes.join(", ")}: ${listed}; ${next}`,
    data: { errorCodes, attempts, failures },
    retryable,
  });
}
