import type { CloudWatchAlarmStateChangeEvent } from "../contracts/aws/cloudwatch-alarm-state-change.js";
import { alarmNotification } from "./alarm-notification.js";
import { deliverNotification } from "./deliver-notification.js";
import type { Notification, Notifier } from "./notification.js";

/** Options of {@link notifyAlarmStateChange}. */
export interface NotifyAlarmStateChangeOptions {
  /** One of Shipline's alarms changing state, as CloudWatch reported it. */
  readonly event: CloudWatchAlarmStateChangeEvent;
  /** The channels to deliver to: the same as a journey's. */
  readonly notifiers: readonly Notifier[];
}

/** What {@link notifyAlarmStateChange} told, and which channels accepted it. */
export interface AlarmNotified {
  readonly notification: Notification;
  readonly delivered: readonly string[];
}

/**
 * The `notify` use case for Shipline's own alarms (dead letters, function errors, rejected images):
 * builds the alarm's notification (`alarmNotification`) and delivers it to every channel, as a
 * journey's notifications are delivered (`deliverNotification`: one `NOTIFY_FAILED` error naming the
 * channels that failed, retryable when any of them may accept later).
 *
 * @example
 * ```ts
 * const { delivered } = await notifyAlarmStateChange({ event, notifiers });
 * ```
 */
export async function notifyAlarmStateChange(options: NotifyAlarmStateChangeOptions): Promise<AlarmNotified> {
  const notification = alarmNotification(options.event);
  const alarm = options.event.detail.alarmName;
  const delivered = await deliverNotification({
    notification,
    notifiers: options.notifiers,
    about: `alarm ${alarm}`,
    data: { alarm },
  });
  return { notification, delivered };
}
