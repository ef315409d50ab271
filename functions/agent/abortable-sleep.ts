/**
 * Waits `milliseconds`, or less when `signal` aborts (it then resolves, never rejects).
 *
 * @example
 * ```ts
 * await abortableSleep(5000, controller.signal);
 * ```
 */
export function abortableSleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, milliseconds));
    signal?.addEventListener("abort", done, { once: true });
  });
}
