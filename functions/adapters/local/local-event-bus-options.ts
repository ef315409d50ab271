import type { Clock } from "../../core/ports/clock.js";
import type { DeliveryContext, Sleep } from "../../local/bus/deliver-event.js";

/** Options of {@link LocalEventBus}. */
export interface LocalEventBusOptions {
  /** JSON Lines file of every accepted event. @default - kept in memory */
  readonly archivePath?: string;
  /** JSON Lines file of dead letters. @default - kept in memory only */
  readonly deadLetterPath?: string;
  /**
   * JSON Lines file of the deliveries under way: `resumePending()` delivers the ones a stop or a
   * crash cut short again from the archive (needs `archivePath`).
   * @default - deliveries under way are lost with the process
   */
  readonly pendingPath?: string;
  /** The account in envelopes. @default "000000000000" */
  readonly account?: string;
  /** The region in envelopes. @default "us-east-1" */
  readonly region?: string;
  /** Bus names (or ARN suffixes) entries may name. @default ["default", "shipline"] */
  readonly busNames?: readonly string[];
  /** @default - the system clock */
  readonly clock?: Clock;
  /** @default - a timer that the bus's `close()` cancels */
  readonly sleep?: Sleep;
  /** A number in [0, 1) for backoff jitter. @default Math.random */
  readonly random?: () => number;
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
  /** First backoff ceiling in ms; it doubles per attempt. @default 200 */
  readonly baseDelayMs?: number;
  /** Largest backoff ceiling in ms. @default 60000 */
  readonly maxDelayMs?: number;
  /** Told of every failed delivery attempt, for logs. */
  readonly onAttemptFailed?: DeliveryContext["onAttemptFailed"];
  /**
   * Told when the bus itself fails to finish a delivery (e.g. the dead-letter file cannot be
   * written), so that such a failure is reported rather than lost.
   * @default - writes the error to stderr
   */
  readonly onBusError?: (error: unknown) => void;
}
