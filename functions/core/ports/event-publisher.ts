import type { DetailTypeName } from "../contracts/detail-type.js";
import type { DetailInput } from "../contracts/event-catalog.js";

/**
 * One event to publish: a Shipline detail type and its detail, validated against the contract
 * before it is sent.
 */
export interface PublishRequest<T extends DetailTypeName = DetailTypeName> {
  /** The detail type, e.g. `"Image Pushed"`. */
  readonly detailType: T;
  /** The detail; `schemaVersion` may be left out. */
  readonly detail: DetailInput<T>;
  /** ARNs or URIs the event is about (image, build, commit). */
  readonly resources?: readonly string[];
  /** When it happened. @default - now */
  readonly time?: Date;
}

/** What became of one published event. */
export interface PublishResult {
  /** The event id the bus assigned. */
  readonly eventId: string;
}

/**
 * Port through which every step publishes its outcome on the `shipline` bus. Implementations
 * validate each detail against its contract first, and throw a coded error when an entry cannot be
 * delivered (retryable when the bus may accept it later).
 *
 * @example
 * ```ts
 * await publisher.publish([{ detailType: DetailType.BuildStarted, detail }]);
 * ```
 */
export interface EventPublisher {
  /** Publishes the events, in order; resolves with one result per request. */
  publish(requests: readonly PublishRequest[]): Promise<PublishResult[]>;
}
