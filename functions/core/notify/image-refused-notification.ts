import type { ImageRefused } from "../contracts/events/image-refused.js";
import type { Notification } from "./notification.js";
import {
  changeSentence,
  commitFields,
  journeyLink,
  type NotificationContext,
  sentence,
  sourceCommitLink,
} from "./notification-parts.js";

/**
 * The notification of an image its app's acceptance policy (`accept`) refused: which image, the
 * rule it failed and why, so that whoever runs the app's CI knows it will never be deployed.
 *
 * @example
 * ```ts
 * imageRefusedNotification(detail, context).title; // "web 1.4.0-3f2a1b9 refused by accept.branches"
 * ```
 */
export function imageRefusedNotification(detail: ImageRefused, context: NotificationContext): Notification {
  const { app, commit } = detail;
  return {
    detailType: "Image Refused",
    app,
    commit,
    title: `${app} ${detail.tag} refused by accept.${detail.rule}`,
    text: `The image ${detail.repository}:${detail.tag} of ${app} will not be deployed: ${sentence(detail.reason)} ${changeSentence(context.commit, commit)}`,
    severity: "failure",
    fields: [
      { label: "App", value: app },
      { label: "Tag", value: detail.tag },
      ...commitFields(context.commit, commit),
      { label: "Rule", value: `accept.${detail.rule}` },
      { label: "Reason", value: detail.reason },
      { label: "Digest", value: detail.digest },
    ],
    links: [...sourceCommitLink(context, commit), ...journeyLink(context, app, commit)],
  };
}
