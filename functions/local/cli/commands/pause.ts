import { abortableSleep } from "../../bus/deliver-event.js";

/**
 * Waits `ms` between two polls; resolves false, at once, when the signal aborts (the poll loop then
 * ends) and true otherwise.
 *
 * @example
 * ```ts
 * while (await pause(1000, signal)) await poll();
 * ```
 */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await abortableSleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}
