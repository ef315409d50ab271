import * as z from "zod";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { DocumentStore } from "../../core/ports/document-store.js";
import type {
  ScanTimeoutScheduler,
  ScheduleScanTimeoutInput,
} from "../../core/ports/scan-timeout-scheduler.js";
import type { ScanTimeoutCheck } from "../../core/scan/scan-timeout-check.js";
import { scanTimeoutCheck } from "../../core/scan/scan-timeout-check.js";
import { LOCAL_SCHEDULES_TABLE } from "./local-promotion-scheduler.js";

/** Options of {@link LocalScanTimeoutScheduler}. */
export interface LocalScanTimeoutSchedulerOptions {
  /** Runs a due check: the local runtime invokes the scan gate's handler with it. */
  readonly run: (check: ScanTimeoutCheck) => Promise<unknown>;
  /** Told when a run fails. @default - one line on stderr */
  readonly onError?: (error: unknown, check: ScanTimeoutCheck) => void;
  /** @default - the system clock */
  readonly clock?: Clock;
  /**
   * Keeps every armed check (table `local-schedules`) so that `resume` arms them again after a
   * restart, as EventBridge Scheduler keeps its schedules.
   * @default - checks live in memory only
   */
  readonly store?: DocumentStore;
}

const SCAN_TIMEOUT_PARTITION = "scan-timeout";

const keptCheck = z.object({ at: z.iso.datetime({ offset: true }), check: scanTimeoutCheck });

/**
 * The {@link ScanTimeoutScheduler} of the local runtime: one timer per image, which hands the check
 * to `run` when it is due. Scheduling an image that already has a timer keeps the first one, as
 * the AWS scheduler keeps the first schedule. With a `store`, every armed check is kept there until
 * it ran, and `resume` arms them again after a restart.
 *
 * @example
 * ```ts
 * const scheduler = new LocalScanTimeoutScheduler({ run: (check) => scanGate(check, context) });
 * await scheduler.schedule({ check, at });
 * scheduler.close();
 * ```
 */
export class LocalScanTimeoutScheduler implements ScanTimeoutScheduler {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #running = new Set<Promise<unknown>>();
  readonly #run: LocalScanTimeoutSchedulerOptions["run"];
  readonly #onError: NonNullable<LocalScanTimeoutSchedulerOptions["onError"]>;
  readonly #clock: Clock;
  readonly #store: DocumentStore | undefined;

  constructor(options: LocalScanTimeoutSchedulerOptions) {
    this.#store = options.store;
    this.#run = options.run;
    this.#clock = options.clock ?? systemClock;
    this.#onError =
      options.onError ??
      ((error, check) => {
        const reason = error instanceof Error ? error.message : String(error);
        process.stderr.write(
          `scan timeout of ${check.detail.repository}@${check.detail.digest} failed: ${reason}\n`,
        );
      });
  }

  /** Arms a timer for the image, unless it has one. */
  async schedule(input: ScheduleScanTimeoutInput): Promise<void> {
    const name = `${input.check.detail.repository}@${input.check.detail.digest}`;
    if (this.#timers.has(name)) return;
    await this.#store?.put(
      LOCAL_SCHEDULES_TABLE,
      { pk: SCAN_TIMEOUT_PARTITION, sk: name },
      { at: input.at.toISOString(), check: input.check },
    );
    this.#arm(name, input);
  }

  /**
   * Arms again the checks kept in the store (a restart of the runtime): a check due meanwhile runs
   * at once. Resolves with how many were armed.
   */
  async resume(): Promise<number> {
    if (this.#store === undefined) return 0;
    let armed = 0;
    for (const item of await this.#store.query(LOCAL_SCHEDULES_TABLE, SCAN_TIMEOUT_PARTITION)) {
      const kept = keptCheck.safeParse(item.value);
      if (!kept.success || this.#timers.has(item.sk)) continue;
      this.#arm(item.sk, { check: kept.data.check, at: new Date(kept.data.at) });
      armed += 1;
    }
    return armed;
  }

  #arm(name: string, input: ScheduleScanTimeoutInput): void {
    const delay = Math.max(0, input.at.getTime() - this.#clock.now().getTime());
    const timer = setTimeout(() => {
      this.#timers.delete(name);
      const running = this.#run(input.check)
        .then(() => this.#store?.delete(LOCAL_SCHEDULES_TABLE, { pk: SCAN_TIMEOUT_PARTITION, sk: name }))
        .catch((error: unknown) => this.#onError(error, input.check));
      this.#running.add(running);
      void running.finally(() => this.#running.delete(running));
    }, delay);
    timer.unref();
    this.#timers.set(name, timer);
  }

  /** The images with an armed timer, as `<repository>@<digest>`. */
  get pending(): readonly string[] {
    return [...this.#timers.keys()];
  }

  /** Waits for the checks that are running to finish. */
  async idle(): Promise<void> {
    await Promise.all([...this.#running]);
  }

  /** Disarms every timer. */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
