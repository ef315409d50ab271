import { ShiplineError } from "../errors/shipline-error.js";
import type { Notification, Notifier } from "./notification.js";

/** Options of {@link deliverNotification}. */
export interface DeliverNotificationOptions {
  readonly notification: Notification;
  /** The channels to deliver to. */
  readonly notifiers: readonly Notifier[];
  /** What the notification is about, for the error's message: `demo 5d6e7f8`, `alarm Shipline-…`. */
  readonly about: string;
  /** What the notification is about, for the error's data: `{ app, commit }`, `{ alarm }`. */
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Delivers one notification to every channel. Every channel is tried even when one fails; then,
 * if any failed, one `NOTIFY_FAILED` error names each failed channel and its code, retryable when
 * any of them was (a retry may then deliver again to a channel that had accepted it: a duplicate
 * beats a lost message). Resolves with the channels that accepted it.
 *
 * @example
 * ```ts
 * const delivered = await deliverNotification({ notification, notifiers, about: "demo 5d6e7f8", data: { app, commit } });
 * ```
 */
export async function deliverNotification(options: DeliverNotificationOptions): Promise<readonly string[]> {
  const { notification, notifiers } = options;
  const outcomes = await Promise.allSettled(notifiers.map((notifier) => notifier.send(notification)));
  const delivered: string[] = [];
  const failures: { channel: string; error: unknown }[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    const channel = notifiers[index]?.channel ?? `#${index}`;
    if (outcome.status === "fulfilled") delivered.push(channel);
    else failures.push({ channel, error: outcome.reason });
  }
  if (failures.length === 0) return delivered;
  const described = failures.map(({ channel, error }) => ({
    channel,
    code: error instanceof ShiplineError ? error.code : "UNEXPECTED",
    retryable: !(error instanceof ShiplineError) || error.retryable,
    message: error instanceof Error ? error.message : String(error),
  }));
  throw new ShiplineError({
    code: "NOTIFY_FAILED",
    message: `the ${notification.detailType} notification of ${options.about} could not be delivered to ${described
      .map((failure) => `${failure.channel} (${failure.code}: ${failure.message})`)
      .join("; ")}${delivered.length > 0 ? `; it was delivered to ${delivered.join(", ")}` : ""}`,
    data: { detailType: notification.detailType, ...options.data, delivered, failures: described },
    retryable: described.some((failure) => failure.retryable),
    cause: failures[0]?.error,
  });
}
