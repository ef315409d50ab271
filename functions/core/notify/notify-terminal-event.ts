import { ROLLBACK_HOLDER } from "../rollback/plan-rollback.js";
import { deliverNotification } from "./deliver-notification.js";
import type { JourneyLookup } from "./journey-lookup.js";
import type { Notification, Notifier } from "./notification.js";
import { notificationOf } from "./notification-of.js";
import type { NotificationContext } from "./notification-parts.js";
import { isRepeatedProposal } from "./repeated-proposal.js";
import type { TerminalEvent } from "./terminal-event.js";

/** Options of {@link notifyTerminalEvent}. */
export interface NotifyTerminalEventOptions {
  readonly event: TerminalEvent;
  /** Where the journey's earlier hops are read; absent: the notification names the commit by sha only. */
  readonly lookup?: JourneyLookup;
  /** The channels to deliver to. */
  readonly notifiers: readonly Notifier[];
  /** Where things live, for links (everything of `NotificationContext` but the looked-up commit). */
  readonly links?: Omit<NotificationContext, "commit">;
}

/** What {@link notifyTerminalEvent} did: told every channel, or nothing because it was no news. */
export type NotifyResult =
  | {
      readonly outcome: "notified";
      readonly notification: Notification;
      /** The channels that accepted it. */
      readonly delivered: readonly string[];
      /** Whether the journey's commit was found. */
      readonly commitKnown: boolean;
    }
  | {
      readonly outcome: "skipped";
      /** Why people were not told, e.g. the pull request already proposed the image. */
      readonly reason: string;
    };

/**
 * The `notify` use case: looks up what the journey knows of the change, builds the notification
 * and delivers it to every channel. A `Pull Request Opened` update that repeats an earlier
 * proposal of the same image in the same pull request is skipped (see `isRepeatedProposal`): an
 * opened pull request, or one updated to another image, is told. Delivery is `deliverNotification`'s:
 * every channel is tried, and one `NOTIFY_FAILED` error names the channels that failed. A failed
 * lookup is thrown as is.
 *
 * @example
 * ```ts
 * const result = await notifyTerminalEvent({ event, lookup, notifiers, links: { argoCdUrl } });
 * ```
 */
export async function notifyTerminalEvent(options: NotifyTerminalEventOptions): Promise<NotifyResult> {
  const { event, lookup, notifiers } = options;
  const { app, commit } = event.detail;
  const environment = "environment" in event.detail ? event.detail.environment : undefined;
  const quiet = noNews(event);
  if (quiet !== undefined) return { outcome: "skipped", reason: quiet };
  const info = lookup === undefined ? undefined : await lookup.commitInfo({ app, commit, environment });
  if (
    event.detailType === "Pull Request Opened" &&
    isRepeatedProposal({
      detail: event.detail,
      eventId: event.id,
      time: event.time,
      proposals: info?.proposals,
    })
  ) {
    return {
      outcome: "skipped",
      reason: `pull request #${event.detail.number} already proposed ${event.detail.digest} in ${event.detail.environment}`,
    };
  }
  const notification = notificationOf({
    event,
    context: { ...options.links, ...(info === undefined ? {} : { commit: info }) },
  });
  const delivered = await deliverNotification({
    notification,
    notifiers,
    about: `${app} ${commit.slice(0, 7)}`,
    data: { app, commit },
  });
  return { outcome: "notified", notification, delivered, commitKnown: info !== undefined };
}

/**
 * Why an event tells people nothing new: a rollback's own hold (its `Rollback Committed` says it),
 * an image soaking (it moves on by itself).
 */
function noNews(event: TerminalEvent): string | undefined {
  if (event.detailType === "Hold Placed" && event.detail.placedBy === ROLLBACK_HOLDER) {
    return "a rollback's hold is told by its Rollback Committed";
  }
  if (event.detailType === "Promotion Waiting" && event.detail.waitingFor === "soak") {
    return "a soaking image moves on by itself";
  }
  return undefined;
}
