import type { ScanTimeoutCheck } from "../scan/scan-timeout-check.js";

/** A scan-timeout check to run once, later. */
export interface ScheduleScanTimeoutInput {
  /** The check the scan gate runs when the time comes. */
  readonly check: ScanTimeoutCheck;
  /** When to run it (the push time plus the policy's timeout). */
  readonly at: Date;
}

/**
 * Port that arms the scan gate's timeout when an image is pushed: a one-time EventBridge Scheduler
 * schedule on AWS (deleted once it has run), a timer locally. When it fires, the scan gate's
 * timeout check decides the images that are still without a verdict. Scheduling the same image
 * twice arms one check (the name derives from the image), so a retried push event is harmless.
 *
 * @example
 * ```ts
 * const { check, at } = scanTimeoutFor({ image, policy: config.scanPolicy });
 * await scheduler.schedule({ check, at });
 * ```
 */
export interface ScanTimeoutScheduler {
  /** Arms the check; resolves once it is durably scheduled. */
  schedule(input: ScheduleScanTimeoutInput): Promise<void>;
}
