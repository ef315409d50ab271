import { type Clock, systemClock } from "../../core/ports/clock.js";
import type {
  ScanTimeoutScheduler,
  ScheduleScanTimeoutInput,
} from "../../core/ports/scan-timeout-scheduler.js";
import type { ScanTimeoutCheck } from "../../core/scan/scan-timeout-check.js";

/** Options of {@link LocalScanTimeoutScheduler}. */
export interface LocalScanTimeoutSchedulerOptions {
  /** Runs a due check: the local runtime invokes the scan gate's handler with it. */
  readonly run: (check: ScanTimeoutCheck) => Promise<unknown>;
  /** Told when a run fails. @default - one line on stderr */
  readonly onError?: (error: unknown, check: ScanTimeoutCheck) => void;
  /** @default - the system clock */
  readonly clock?: Clock;
}

/**
 * The {@link ScanTimeoutScheduler} of the local runtime: one timer per image, which hands the check
 * to `run` when it is due. Scheduling an image that already has a timer keeps the first one, as
 * the AWS scheduler keeps the first schedule. Timers live in the process: a check still pending
 * when the runtime stops is lost, and the image stays undecided until it is scanned again.
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

  constructor(options: LocalScanTimeoutSchedulerOptions) {
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
    const delay = Math.max(0, input.at.getTime() - this.#clock.now().getTime());
    const timer = setTimeout(() => {
      this.#timers.delete(name);
      const running = this.#run(input.check).catch((error: unknown) => this.#onError(error, input.check));
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
