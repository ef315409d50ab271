import type { NotifiedDetailType } from "./terminal-event.js";

/** The detail type of the one AWS event `notify` tells people about: one of Shipline's alarms changing state. */
export const ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

/**
 * How a notification reads at a glance: a verified deployment (or an alarm back to OK), a failure
 * (or an alarm firing), a rollback, or a change that waits for a reviewer.
 */
export type NotificationSeverity = "success" | "failure" | "warning" | "review";

/** One labelled fact of a notification, e.g. `Tag: 1.1.0-1a2b3c4 → 1.2.0-5d6e7f8`. */
export interface NotificationField {
  readonly label: string;
  readonly value: string;
}

/** A link of a notification: the build log, the config commit, the Argo CD application. */
export interface NotificationLink {
  readonly label: string;
  readonly url: string;
  /** The one link the notification asks people to follow (a pull request to review); channels stress it. */
  readonly primary?: boolean;
}

/**
 * A notification, independent of where it goes: what changed, why, and where to look. Renderers
 * (`slackMessageOf`, `snsMessageOf`) turn it into each channel's format. All text is plain (not
 * yet escaped for any channel).
 */
export interface Notification {
  /** The event it is about. */
  readonly detailType: NotifiedDetailType | typeof ALARM_STATE_CHANGE;
  /** The app, for events of a journey; absent for an alarm of Shipline itself. */
  readonly app?: string;
  /** The source commit, for events of a journey. */
  readonly commit?: string;
  /** The environment, for events about one. */
  readonly environment?: string;
  /** One line, e.g. `demo 1.2.0-5d6e7f8 verified in staging`. */
  readonly title: string;
  /** A sentence or two: what changed and why. */
  readonly text: string;
  readonly severity: NotificationSeverity;
  readonly fields: readonly NotificationField[];
  readonly links: readonly NotificationLink[];
}

/**
 * Port through which `notify` delivers a notification to one channel: Slack's incoming webhook,
 * an SNS topic, a local receiver. Failures are coded ShiplineErrors, retryable when the channel may
 * accept the notification later; an implementation never puts a secret (a webhook URL) in an error.
 *
 * @example
 * ```ts
 * const notifiers: Notifier[] = [new SlackWebhookNotifier({ webhookUrl }), new SnsNotifier({ client, topicArn })];
 * for (const notifier of notifiers) await notifier.send(notification);
 * ```
 */
export interface Notifier {
  /** The channel, for logs and errors (`slack`, `sns`). */
  readonly channel: string;
  /** Delivers the notification; resolves once the channel accepted it. */
  send(notification: Notification): Promise<void>;
}
